#!/usr/bin/env node
// Writes the project's own valid messages, tests/corpus/valid/own-<TYPE>-<what>.json:
// every one of the 47 types with each of its actions (and the other closed
// values a server acts on), custom types, and the edge cases of the envelope
// that a valid message may show (fractional seconds, unknown fields, null for
// OPTIONAL fields, 256-byte ids, exactly 65,536 bytes, nesting 64 deep ...).
//
// usage: node tools/corpus/generate-own-valid.mjs [--check]
//   --check: write nothing, exit 1 if a committed file differs from its generated text.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const outDir = join(root, 'tests', 'corpus', 'valid');
const check = process.argv.includes('--check');

// A UUIDv4-shaped id derived from the file name, so ids stay stable.
function uuidFor(name) {
  const h = createHash('sha256').update(name).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const ALICE = { user_id: 'u-alice', device_id: 'd-alice-laptop' };
const BOB = { user_id: 'u-bob', device_id: 'd-bob-phone' };
const SERVER = { user_id: 'qsip.example.com', device_id: 'node-1' };
const SID = 's-own-call-7f3a';

const files = [];  // [name, text]
function add(type, what, payload, o = {}) {
  const name = `own-${type}-${what}.json`;
  const m = {
    qsip_version: '1.0',
    message_id: o.message_id ?? uuidFor(name),
    timestamp: o.timestamp ?? '2025-07-01T10:00:00Z',
    from: o.from ?? ALICE,
    to: o.to ?? {},
    type,
  };
  if (o.session_id !== undefined) m.session_id = o.session_id;
  m.payload = payload;
  if (o.extra) Object.assign(m, o.extra);
  files.push([name, o.text ?? JSON.stringify(m, null, 2) + '\n']);
  return m;
}
const toBob = { user_id: 'u-bob' };
const toGroup = { group_id: 'g-dev-team' };

// ---- REGISTER -------------------------------------------------------------
add('REGISTER', 'minimal', { auth_token: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1LWFsaWNlIn0.c2ln', device_info: {} });
add('REGISTER', 'to-server-id-and-extra-fields', {
  auth_token: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1LWFsaWNlIn0.c2ln',
  device_info: { os: 'Linux', app: 'qsip-cli 0.1', device_model: 'ThinkPad X1', x_screen: '2560x1440' },
  capabilities: [], supports_datagrams: false, x_client_feature_flags: { beta: true },
}, { to: { server_id: 'qsip.example.com' }, extra: { x_trace_id: 'trace-0001', x_hops: [1, 2, 3] } });
add('REGISTER', 'null-optional-fields', {
  auth_token: 'api-key-7781', device_info: { os: null, app: null, device_model: null },
  capabilities: null, supports_datagrams: null,
}, { session_id: null, from: { user_id: 'u-alice', device_id: 'd-alice-laptop', display_name: null },
     to: { user_id: null, group_id: null, call_center_id: null, server_id: null, channel_id: null, device_id: null } });

// ---- PRESENCE -------------------------------------------------------------
for (const status of ['available', 'away', 'busy', 'dnd', 'offline'])
  add('PRESENCE', status, { status });
add('PRESENCE', 'open-activity-and-last-active', {
  status: 'away', status_message: 'Back at 3', activity: 'commuting', last_active_at: '2025-07-01T09:58:12.5Z',
});

// ---- INVITE / ACCEPT / REJECT / END ---------------------------------------
add('INVITE', 'to-group', { media_types: ['audio'] }, { to: toGroup, session_id: SID });
add('INVITE', 'target-group-id-only', { media_types: ['audio', 'video'], target_group_id: 'g-dev-team', purpose: 'team_sync' },
    { session_id: SID });
add('INVITE', 'tracks-with-flow-ids', {
  media_types: ['audio', 'video', 'data'], encryption: ['sframe', 'x-future-e2ee'],
  codecs: { audio: ['opus/48000/2'], video: ['av1/90000'] },
  tracks: [
    { track_id: 'a0', kind: 'audio', codec: 'opus/48000/2', flow_id: 0 },
    { track_id: 'v0', kind: 'video', codec: 'av1/90000', flow_id: 2, direction: 'sendonly', label: 'Camera' },
  ],
}, { to: toBob, session_id: SID });
add('INVITE', 'empty-media-types', { media_types: [] }, { to: toBob, session_id: 's-own-empty-media' });
add('ACCEPT', 'empty-payload', {}, { from: BOB, to: { user_id: 'u-alice' }, session_id: SID });
add('ACCEPT', 'tracks-with-flow-ids', {
  encryption: 'sframe', tracks: [{ track_id: 'b-a0', kind: 'audio', codec: 'opus/48000/2', flow_id: 1 }],
}, { from: BOB, to: { user_id: 'u-alice' }, session_id: SID });
add('REJECT', 'open-reason', { reason: 'do_not_disturb' }, { from: BOB, to: { user_id: 'u-alice' }, session_id: SID });
add('REJECT', 'decline', { reason: 'decline', detail: null }, { from: BOB, to: { user_id: 'u-alice' }, session_id: SID });
add('END', 'completed', { reason: 'completed' }, { to: toBob, session_id: SID });
add('END', 'server-timeout', { reason: 'timeout', detail: 'No media for 30 s' },
    { from: SERVER, to: { user_id: 'u-alice', device_id: 'd-alice-laptop' }, session_id: SID });

// ---- SESSION: every action --------------------------------------------------
for (const action of ['hold', 'resume', 'mute', 'unmute', 'start_screenshare', 'stop_screenshare',
                      'start_recording', 'stop_recording', 'agent_connecting', 'listen', 'whisper', 'barge']) {
  const p = { action };
  if (action === 'mute' || action === 'unmute') p.target_media_type = 'audio';
  add('SESSION', action.replaceAll('_', '-'), p, { to: toBob, session_id: SID });
}
add('SESSION', 'transfer', { action: 'transfer', transfer_to_user_id: 'u-carol' }, { to: toBob, session_id: SID });

// ---- CHANNEL_UPDATE ---------------------------------------------------------
add('CHANNEL_UPDATE', 'audio-muted-screenshare-active', {
  channels: { audio: { enabled: true, muted: true }, screenshare: { active: true, available: true }, x_haptics: {} },
}, { to: toGroup, session_id: SID });
add('CHANNEL_UPDATE', 'empty-channels', { channels: {} }, { to: toBob, session_id: SID });

// ---- MESSAGE: every message_type, priority, target -------------------------
const fileContent = (name, mime, size) => ({ file_name: name, file_size: size, mime_type: mime, url: `https://cdn.example.com/f/${name}` });
add('MESSAGE', 'text-to-channel', { message_type: 'text', content: 'hello channel' }, { to: { channel_id: 'c-general' } });
add('MESSAGE', 'text-fractional-timestamp', { message_type: 'text', content: 'ms precision' },
    { to: toBob, timestamp: '2025-07-01T10:00:00.123Z' });
add('MESSAGE', 'text-nanosecond-timestamp', { message_type: 'text', content: 'ns precision' },
    { to: toBob, timestamp: '2025-07-01T10:00:00.123456789Z' });
add('MESSAGE', 'text-unknown-fields', {
  message_type: 'text', content: 'unknown keys are ignored', x_color: '#ff0000', x_meta: { a: [1, { b: null }] },
}, { to: toBob, extra: { x_envelope_ext: true, 'com.example.routing': { hops: 2 } } });
add('MESSAGE', 'text-null-optionals', {
  message_type: 'text', content: 'nulls mean absent', thread_id: null, reply_to_message_id: null, mentions: null,
  schedule_time: null, ephemeral_ttl: null, priority: null, attachments: null,
}, { to: toBob, session_id: null });
add('MESSAGE', 'text-empty-content', { message_type: 'text', content: '' }, { to: toBob });
add('MESSAGE', 'text-unicode', { message_type: 'text', content: 'Grüße 👋 日本語 \u2028 "quoted" \\ backslash' }, { to: toBob });
add('MESSAGE', 'text-urgent-mentions-thread', {
  message_type: 'text', content: '@bob @carol please look', priority: 'urgent',
  mentions: [{ user_id: 'u-bob', display_text: '@bob' }, { user_id: 'u-carol', display_text: '@carol' }],
  thread_id: 'm-root-1', reply_to_message_id: 'm-root-1', schedule_time: '2025-07-02T08:00:00Z', ephemeral_ttl: 0,
}, { to: toGroup });
add('MESSAGE', 'text-low-priority-in-session', { message_type: 'text', content: 'in-call chat', priority: 'low', ephemeral_ttl: 3600.5 },
    { to: toBob, session_id: SID });
add('MESSAGE', 'image', { message_type: 'image', content: { ...fileContent('photo.jpg', 'image/jpeg', 204800), thumbnail_url: 'https://cdn.example.com/t/photo.jpg' } },
    { to: toGroup });
add('MESSAGE', 'audio-clip', { message_type: 'audio_clip', content: { ...fileContent('note.opus', 'audio/ogg', 32000), duration_ms: 4200 } },
    { to: toBob });
add('MESSAGE', 'video-clip', { message_type: 'video_clip', content: { ...fileContent('clip.mp4', 'video/mp4', 0), duration_ms: 0 } },
    { to: toBob });
add('MESSAGE', 'file-with-attachments', {
  message_type: 'file', content: fileContent('report.pdf', 'application/pdf', 1048576.0),
  attachments: [fileContent('appendix.csv', 'text/csv', 2048)],
}, { to: toGroup });
add('MESSAGE', 'location', { message_type: 'location', content: { latitude: 48.8584, longitude: 2.2945, accuracy: 12, address: 'Champ de Mars, Paris' } },
    { to: toBob });
add('MESSAGE', 'location-extremes', { message_type: 'location', content: { latitude: -90, longitude: 180 } }, { to: toBob });
add('MESSAGE', 'card-minimal', { message_type: 'card', content: {} }, { to: toBob });
add('MESSAGE', 'card-link-action', {
  message_type: 'card', content: { title: 'Build #42', actions: [{ type: 'link', label: 'Open', action_id: 'open-build', url: 'https://ci.example.com/42' }] },
}, { from: { user_id: 'u-bot-ci', device_id: 'd-bot' }, to: { channel_id: 'c-ci' } });
add('MESSAGE', 'carousel-empty-items', { message_type: 'carousel', content: { items: [], layout: 'vertical' } }, { to: toBob });
add('MESSAGE', 'canvas', {
  message_type: 'canvas', content: { canvas_id: 'cv-42', canvas_url: 'https://canvas.example.com/cv-42', collaborative: true },
}, { to: toGroup });
add('MESSAGE', 'embed', {
  message_type: 'embed', content: { embed_type: 'mini-app', embed_url: 'https://apps.example.com/vote', height: 400, width: 300.5, permissions: ['camera'] },
}, { to: toGroup });
add('MESSAGE', 'message-id-256-bytes', { message_type: 'text', content: 'longest id' }, { to: toBob, message_id: 'm'.repeat(256) });
add('MESSAGE', 'ids-with-multibyte-utf8', { message_type: 'text', content: 'ids are opaque UTF-8' },
    { to: { user_id: 'bob@server2.example.com' }, from: { user_id: 'ü-alice', device_id: '设备-1', display_name: 'Alice 🦊' },
      message_id: 'é'.repeat(128) /* 256 bytes */ });
add('MESSAGE', 'to-user-and-group', { message_type: 'text', content: 'both targets' }, { to: { user_id: 'u-bob', group_id: 'g-dev-team' } });

// 64 levels of nesting (the message object is level 1): the deepest message accepted.
{
  const name = 'own-MESSAGE-nesting-depth-64.json';
  const inner = '['.repeat(62) + ']'.repeat(62);  // levels 3..64
  const text = `{"qsip_version":"1.0","message_id":"${uuidFor(name)}","timestamp":"2025-07-01T10:00:00Z",` +
    `"from":{"user_id":"u-alice","device_id":"d-alice-laptop"},"to":{"user_id":"u-bob"},"type":"MESSAGE",` +
    `"payload":{"message_type":"text","content":"deep","extra":${inner}}}\n`;
  files.push([name, text]);
}
// Exactly 65,536 bytes: the largest message accepted.
{
  const name = 'own-MESSAGE-exactly-65536-bytes.json';
  const head = `{"qsip_version":"1.0","message_id":"${uuidFor(name)}","timestamp":"2025-07-01T10:00:00Z",` +
    `"from":{"user_id":"u-alice","device_id":"d-alice-laptop"},"to":{"user_id":"u-bob"},"type":"MESSAGE",` +
    `"payload":{"message_type":"text","content":"`;
  const tail = '"}}\n';
  const text = head + 'x'.repeat(65536 - Buffer.byteLength(head + tail)) + tail;
  if (Buffer.byteLength(text) !== 65536) throw new Error('size');
  files.push([name, text]);
}

// ---- REACTION / RECEIPT / MESSAGE_ACTION / INFO -------------------------
add('REACTION', 'remove', { target_message_id: 'm-1', reaction: '🚀', action: 'remove' }, { to: toGroup });
add('REACTION', 'default-action', { target_message_id: 'm-1', reaction: ':+1:' }, { to: toBob });
add('RECEIPT', 'registered', { target_message_id: 'm-register-1', status: 'registered' }, { from: SERVER, to: { user_id: 'u-alice', device_id: 'd-alice-laptop' } });
add('RECEIPT', 'open-status', { target_message_id: 'm-poll-vote-1', status: 'poll_voted', detail: 'counted', item_id: 'x-extra-result' }, { from: SERVER, to: { user_id: 'u-alice' } });
add('RECEIPT', 'failed', { target_message_id: 'm-2', status: 'failed', detail: 'recipient unknown' }, { from: SERVER, to: { user_id: 'u-alice' } });
add('MESSAGE_ACTION', 'delete', { action: 'delete', target_message_id: 'm-1' }, { to: toBob });
add('MESSAGE_ACTION', 'edit-new-payload', {
  action: 'edit', target_message_id: 'm-file-1', new_payload: { message_type: 'file', content: fileContent('v3.pdf', 'application/pdf', 10) },
}, { to: toGroup });
add('INFO', 'stopped-typing', { info_type: 'typing_indicator', is_typing: false, target_context_id: 'g-dev-team' }, { to: toGroup });
add('INFO', 'open-info-type', { info_type: 'user_viewing_message', x_message_id: 'm-1' }, { to: toBob });

// ---- GROUP: every action ------------------------------------------------------
const G = 'g-dev-team';
const groupCases = {
  create: { name: 'Minimal group' },
  update: { group_id: G, name: 'Dev Team', topic: 'QSIP', avatar_url: 'https://cdn.example.com/g.png' },
  delete: { group_id: G },
  invite: { group_id: G, members: ['u-carol', 'u-dave'] },
  join: { group_id: G },
  leave: { group_id: G },
  kick: { group_id: G, target_user_id: 'u-dave' },
  set_role: { group_id: G, target_user_id: 'u-carol', role: 'moderator' },
  get_info: { group_id: G },
  list_members: { group_id: G, limit: 50, offset: 0 },
  invited_to_group: { group_id: G, name: 'Dev Team' },
  approve_join: { group_id: G, target_user_id: 'u-erin' },
  deny_join: { group_id: G, target_user_id: 'u-mallory' },
  member_joined: { group_id: G, target_user_id: 'u-erin' },
  member_left: { group_id: G, target_user_id: 'u-dave' },
  role_changed: { group_id: G, target_user_id: 'u-carol', role: 'admin' },
  group_deleted: { group_id: G },
  join_requested: { group_id: G, target_user_id: 'u-erin' },
};
for (const [action, rest] of Object.entries(groupCases))
  add('GROUP', action.replaceAll('_', '-'), { action, ...rest },
      action.includes('_') && !['set_role', 'get_info', 'list_members', 'approve_join', 'deny_join'].includes(action) ? { from: SERVER, to: { user_id: 'u-alice' } } : {});
add('GROUP', 'create-public-owner', { action: 'create', visibility: 'public', members: [], role: 'owner' });
add('GROUP', 'set-role-member', { action: 'set_role', group_id: G, target_user_id: 'u-carol', role: 'member', visibility: 'private' });

// ---- POLL -------------------------------------------------------------------
add('POLL', 'vote', { action: 'vote', poll_id: 'p-1', selected_option_index: 0 }, { to: toGroup });
add('POLL', 'get-results', { action: 'get_results', poll_id: 'p-1' }, { to: toGroup });
add('POLL', 'results-from-server', { action: 'get_results', poll_id: 'p-1', results: { '0': 3, '1': 5 } }, { from: SERVER, to: { user_id: 'u-alice' } });
add('POLL', 'close', { action: 'close', poll_id: 'p-1' }, { to: toGroup });
add('POLL', 'create-minimal', { action: 'create', context_id: 'u-bob', question: 'Lunch?', options: [] }, { to: toBob });

// ---- QUEUE: every action --------------------------------------------------------
const Q = 'support_technical_tier1', CC = { call_center_id: 'cc-main-service' };
add('QUEUE', 'enqueue-minimal', { action: 'enqueue', queue_id: Q }, { to: CC });
add('QUEUE', 'dequeue', { action: 'dequeue', queue_id: Q, item_id: 'qi-1' }, { to: CC });
add('QUEUE', 'get-status', { action: 'get_status', queue_id: Q, item_id: 'qi-1' }, { to: CC });
add('QUEUE', 'assign-agent', { action: 'assign_agent', queue_id: Q, item_id: 'qi-1', agent_id: 'u-agent-1' }, { from: SERVER, to: { user_id: 'u-agent-1' } });
add('QUEUE', 'agent-accept', { action: 'agent_accept', queue_id: Q, item_id: 'qi-1', agent_id: 'u-agent-1' }, { from: { user_id: 'u-agent-1', device_id: 'd-desk' }, to: CC });
add('QUEUE', 'agent-reject', { action: 'agent_reject', queue_id: Q, item_id: 'qi-1', agent_id: 'u-agent-1' }, { from: { user_id: 'u-agent-1', device_id: 'd-desk' }, to: CC });
add('QUEUE', 'update-priority-number', { action: 'update_priority', queue_id: Q, item_id: 'qi-1', priority: 10 }, { to: CC });
add('QUEUE', 'update-priority-string', { action: 'update_priority', queue_id: Q, item_id: 'qi-1', priority: 'urgent' }, { to: CC });
add('QUEUE', 'offer-item', { action: 'offer_item', queue_id: Q, item_id: 'qi-1' }, { from: SERVER, to: { user_id: 'u-agent-1' } });
add('QUEUE', 'position-update', { action: 'position_update', queue_id: Q, item_id: 'qi-1', status_info: { position: 2, estimated_wait_time_seconds: 60 } },
    { from: SERVER, to: { user_id: 'u-customer-jane' } });

// ---- CALENDAR: every action -------------------------------------------------------
add('CALENDAR', 'create-event-minimal', { action: 'create_event', title: '1:1', start_time: '2025-07-02T09:00:00Z' });
add('CALENDAR', 'update-event', { action: 'update_event', event_id: 'evt-1', end_time: '2025-07-02T10:30:00.000Z', recurrence_rule: 'FREQ=WEEKLY;BYDAY=WE' });
add('CALENDAR', 'delete-event', { action: 'delete_event', event_id: 'evt-1' });
add('CALENDAR', 'get-event', { action: 'get_event', event_id: 'evt-1' });
add('CALENDAR', 'list-events', { action: 'list_events', query_start_time: '2025-07-01T00:00:00Z', query_end_time: '2025-07-08T00:00:00Z' });
for (const response of ['accept', 'decline', 'tentative'])
  add('CALENDAR', `respond-to-invite-${response}`, { action: 'respond_to_invite', event_id: 'evt-1', response });

// ---- SCHEDULE ------------------------------------------------------------------------
add('SCHEDULE', 'create-schedule-presence', {
  action: 'create_schedule', schedule_time: '2025-07-01T18:00:00Z', recurrence_rule: 'FREQ=DAILY',
  scheduled_message: { qsip_version: '1.0', message_id: 'm-sched-presence', timestamp: '2025-07-01T18:00:00Z', from: ALICE, to: {},
                       type: 'PRESENCE', payload: { status: 'offline' } },
});
add('SCHEDULE', 'create-schedule-custom-type', {
  action: 'create_schedule', schedule_time: '2025-07-01T18:00:00.5Z',
  scheduled_message: { qsip_version: '1.0', message_id: 'm-sched-custom', timestamp: '2025-07-01T18:00:00Z', from: ALICE, to: {},
                       type: 'com.example.custom_type', payload: {} },
});
add('SCHEDULE', 'update-schedule', { action: 'update_schedule', schedule_id: 'sched-1', schedule_time: '2025-07-03T17:00:00Z' });
add('SCHEDULE', 'delete-schedule', { action: 'delete_schedule', schedule_id: 'sched-1' });
add('SCHEDULE', 'get-schedule', { action: 'get_schedule', schedule_id: 'sched-1' });

// ---- ANALYTICS / MODERATION / AUDIT_EVENT / ERROR --------------------------------------
add('ANALYTICS', 'minimal', { event_name: 'app_opened' });
add('ANALYTICS', 'value-kinds', { event_name: 'feature_used', value: { nested: ['any', 1, null] }, dimensions: {} }, { session_id: SID });
const M = 'g-dev-team';
const modCases = {
  mute_user_in_group: { target_user_id: 'u-sam', target_group_id: M, duration_seconds: 600 },
  unmute_user_in_group: { target_user_id: 'u-sam', target_group_id: M },
  kick_user_from_group: { target_user_id: 'u-sam', target_group_id: M },
  ban_user_from_group: { target_user_id: 'u-sam', target_group_id: M, expires_at: '2025-08-01T00:00:00Z' },
  unban_user_from_group: { target_user_id: 'u-sam', target_group_id: M },
  delete_message: { target_message_id: 'm-spam-1', target_group_id: M },
  warn_user: { target_user_id: 'u-sam', reason: 'language' },
  suspend_user_account: { target_user_id: 'u-sam', duration_seconds: 86400 },
};
for (const [action, rest] of Object.entries(modCases))
  add('MODERATION', action.replaceAll('_', '-'), { action, ...rest }, { from: { user_id: 'u-admin-charlie', device_id: 'd-admin' } });
add('AUDIT_EVENT', 'failure', { event_type: 'user_login', status: 'failure', failure_reason: 'bad password', actor_user_id: 'u-alice' },
    { from: SERVER });
add('AUDIT_EVENT', 'minimal', { event_type: 'data_export' }, { from: SERVER });
add('ERROR', 'minimal', { code: 4002, reason: 'InvalidMessageType' }, { from: SERVER, to: { user_id: 'u-alice' } });
add('ERROR', 'key-exchange-failed', { code: 6002, reason: 'KeyExchangeFailed', detail: 'epoch mismatch', target_message_id: 'm-kx-1' },
    { from: BOB, to: { user_id: 'u-alice' }, session_id: SID });
add('ERROR', 'lowest-and-extra', { code: 1000, reason: 'Custom', x_retry_after_ms: 1500 }, { from: SERVER, to: { user_id: 'u-alice' } });

// ---- KEY_EXCHANGE / MEDIA_UPDATE -----------------------------------------------------------
add('KEY_EXCHANGE', 'top-level-keys', {
  mechanism: 'sframe', key_material: 'AAECAwQFBgcICQoLDA0ODw==', key_id: 7, cipher_suite: 'AES_128_GCM_SHA256_128', epoch: 0,
}, { to: toBob, session_id: SID });
add('KEY_EXCHANGE', 'split-key-fields', {
  mechanism: 'sframe', key_material: 'AAECAwQFBgcICQoLDA0ODw==', sframe_params: { key_id: 'k-8' },
}, { to: toBob, session_id: SID });
add('KEY_EXCHANGE', 'open-mechanism', {
  mechanism: 'mls', key_material: 'bWxzLXdlbGNvbWU=', key_id: 'epoch-3', public_key: 'cHVi', signature: 'c2ln',
}, { to: toGroup, session_id: SID });
add('MEDIA_UPDATE', 'add-tracks-with-flow-id', {
  add_tracks: [
    { track_id: 'screen-1', kind: 'screenshare', codec: 'av1/90000', flow_id: 4, direction: 'sendonly' },
    { track_id: 'video-hi', kind: 'video', codec: 'vp9/90000', flow_id: 1099511627776, direction: 'sendrecv', label: 'HD' },
  ],
}, { to: toBob, session_id: SID });
add('MEDIA_UPDATE', 'update-and-remove', {
  update_tracks: [{ track_id: 'video-hi', direction: 'inactive' }, { track_id: 'a0', direction: 'recvonly' }],
  remove_tracks: ['screen-1'], add_tracks: null,
}, { to: toBob, session_id: SID });
add('MEDIA_UPDATE', 'empty-payload', {}, { to: toBob, session_id: SID });

// ---- USER_PROFILE / SYNC / PUSH / SEARCH ------------------------------------------------
add('USER_PROFILE', 'get', { action: 'get', target_user_id: 'u-bob' });
add('USER_PROFILE', 'get-own', { action: 'get' });
add('USER_PROFILE', 'set-empty-profile', { action: 'set', profile_data: {} });
add('USER_PROFILE', 'list-devices', { action: 'list_devices' });
add('USER_PROFILE', 'rename-device', { action: 'rename_device', device_id: 'd-alice-laptop', device_name: 'Work laptop' });
add('USER_PROFILE', 'remove-device', { action: 'remove_device', device_id: 'd-alice-old-phone' });
add('SYNC', 'response', { action: 'response', device_id: 'd-alice-laptop', timestamp: '2025-07-01T10:00:01.250Z', data: { last_message_id: 'm-9' } });
add('SYNC', 'notify', { action: 'notify', device_id: 'd-alice-phone', timestamp: '2025-07-01T10:00:02Z' }, { from: SERVER, to: { user_id: 'u-alice', device_id: 'd-alice-laptop' } });
add('PUSH', 'unsubscribe', { action: 'unsubscribe', topic: 'new-feature-updates', data: {} });
add('PUSH', 'send', { action: 'send', topic: 'alerts', data: { title: 'Deploy', body: 'done' } }, { from: SERVER, to: { user_id: 'u-alice' } });
add('SEARCH', 'group', { action: 'group', query: 'dev' });
add('SEARCH', 'message', { action: 'message', query: 'invoice', limit: 0, offset: 40 });

// ---- ROSTER / CHANNEL ------------------------------------------------------------------------
for (const action of ['remove', 'update', 'list', 'approve', 'deny'])
  add('ROSTER', action, { action, contact_id: 'u-john', contact_info: action === 'update' ? { display_name: 'Johnny' } : {} });
for (const action of ['delete', 'join', 'leave', 'list'])
  add('CHANNEL', action, { action, channel_id: 'c-team-project' });

// ---- management types of 5.31-5.40: every action -------------------------------------------
const managed = {
  BOT: ['bot', ['add', 'remove', 'update']],
  VOICEMAIL: ['voicemail', ['add', 'remove', 'get']],
  FEDERATION: ['server', ['add_server', 'remove_server', 'get_servers']],
  WORKSPACE: ['workspace', ['create', 'delete', 'get', 'list', 'invite', 'join', 'leave', 'set_role']],
  STORY: ['story', ['add', 'remove', 'get']],
  FORM: ['form', ['create', 'delete', 'get']],
  PAYMENT: ['payment', ['add', 'remove', 'get']],
  TRANSCRIPT: ['transcript', ['add', 'remove', 'get']],
  BACKUP: ['backup', ['add', 'remove', 'get']],
  MFA: ['mfa', ['add', 'remove', 'get']],
};
for (const [type, [stem, actions]] of Object.entries(managed))
  for (const action of actions) {
    // The draft's own example already shows the first action with a full info object.
    if (action === actions[0]) { add(type, `${action.replaceAll('_', '-')}-empty-info`, { action, [`${stem}_id`]: `${stem}-own-1`, [`${stem}_info`]: {} }); continue; }
    add(type, action.replaceAll('_', '-'), { action, [`${stem}_id`]: `${stem}-own-1`, [`${stem}_info`]: { note: `${action} by u-alice` } });
  }

// ---- SUBSCRIPTION / INTERACTIVE / COMMAND -------------------------------------------------
add('SUBSCRIPTION', 'unsubscribe-thread', { action: 'unsubscribe', subscription_type: 'thread', target_id: 'm-root-1' });
add('SUBSCRIPTION', 'update-channel', { action: 'update', subscription_type: 'channel', delivery: { frequency: 'hourly' } });
add('SUBSCRIPTION', 'list-user', { action: 'list', subscription_type: 'user' });
add('SUBSCRIPTION', 'subscribe-event', { action: 'subscribe', subscription_type: 'event', target_id: 'evt-stream-1', filters: { event_types: ['deploy'] } });
add('INTERACTIVE', 'form-submit-in-channel', { interaction_type: 'form_submit', source_message_id: 'm-form-1', action_id: 'submit', payload: { q1: 'yes' }, response_type: 'in_channel' },
    { to: { user_id: 'u-bot-hr' } });
add('INTERACTIVE', 'canvas-action-update', { interaction_type: 'canvas_action', source_message_id: 'm-canvas-1', action_id: 'stroke', response_type: 'update' }, { to: toGroup });
add('INTERACTIVE', 'embed-event-new-message', { interaction_type: 'embed_event', source_message_id: 'm-embed-1', action_id: 'vote-cast', response_type: 'new_message' }, { to: toGroup });
add('COMMAND', 'menu', { command_type: 'menu', command: 'translate', context: { message_id: 'm-1', user_ids: [] } }, { to: { user_id: 'u-bot-translate' } });
add('COMMAND', 'shortcut', { command_type: 'shortcut', command: 'new-poll', response_url: 'https://hooks.example.com/r/1' }, { to: { user_id: 'u-bot-poll' } });

// ---- WEBHOOK / WORKFLOW / MODAL / CLIP -------------------------------------------------------
add('WEBHOOK', 'outgoing', { webhook_type: 'outgoing', webhook_id: 'wh-out-1', url: 'https://ci.example.com/hook', events: ['message.created'] });
for (const action of ['create', 'update', 'delete', 'list'])
  add('WEBHOOK', `configure-${action}`, { webhook_type: 'configure', action, ...(action === 'list' ? {} : { webhook_id: 'wh-1' }),
    ...(action === 'create' ? { url: 'https://ci.example.com/hook', secret: 's3cr3t', headers: { 'X-Token': 'abc' }, channel_id: 'c-ci' } : {}) });
add('WEBHOOK', 'incoming-minimal', { webhook_type: 'incoming', data: {} }, { to: { channel_id: 'c-ci' } });
add('WORKFLOW', 'create-minimal', { action: 'create', trigger: { type: 'manual' }, steps: [] });
for (const action of ['update', 'delete', 'execute', 'pause', 'resume', 'get_status'])
  add('WORKFLOW', action.replaceAll('_', '-'), { action, workflow_id: 'wf-expense-approval', ...(action === 'get_status' ? { execution_id: 'ex-1' } : {}) });
add('MODAL', 'update', { action: 'update', view_id: 'v-1', view: { type: 'modal', title: 'Step 2', blocks: [] } }, { to: { user_id: 'u-alice' }, from: { user_id: 'u-bot-hr', device_id: 'd-bot' } });
add('MODAL', 'close', { action: 'close', view_id: 'v-1' }, { to: { user_id: 'u-alice' }, from: { user_id: 'u-bot-hr', device_id: 'd-bot' } });
add('MODAL', 'push', { action: 'push', view: { type: 'modal', title: 'Details', blocks: [{ type: 'section' }] } }, { to: { user_id: 'u-alice' }, from: { user_id: 'u-bot-hr', device_id: 'd-bot' } });
add('MODAL', 'submit', { action: 'submit', view_id: 'v-1', values: { reason: 'vacation' }, response_action: 'clear' }, { to: { user_id: 'u-bot-hr' } });
add('CLIP', 'record', { action: 'record', title: 'Standup' });
add('CLIP', 'upload', { action: 'upload', clip_id: 'clip-1', duration_ms: 12000,
  recording_data: { format: 'mp4', file_size: 1234567, url: 'https://cdn.example.com/clips/clip-1.mp4' } });
add('CLIP', 'share-user-and-group', { action: 'share', clip_id: 'clip-1', share_targets: [{ type: 'user', id: 'u-bob' }, { type: 'group', id: 'g-dev-team' }] });
add('CLIP', 'delete', { action: 'delete', clip_id: 'clip-1' });
add('CLIP', 'transcribe', { action: 'transcribe', clip_id: 'clip-1', transcription: { language: 'en-US', timestamps: [] } });

// ---- custom types (draft 10.1) -------------------------------------------------------------
add('com.example.custom_type', 'payload', { anything: ['goes', 1, true, null], nested: { deep: {} } }, { to: toBob });
add('com.example.custom_type', 'empty-payload', {}, {});
add('org.example.whiteboard_sync', 'with-session', { ops: [] }, { to: toGroup, session_id: SID });

// ---- write ----------------------------------------------------------------------------------
mkdirSync(outDir, { recursive: true });
const names = new Set();
let differ = 0;
for (const [name, text] of files) {
  if (names.has(name)) throw new Error(`duplicate file name ${name}`);
  names.add(name);
  const path = join(outDir, name);
  if (check) {
    if (!existsSync(path) || readFileSync(path, 'utf8') !== text) { console.error(`differs: ${name}`); differ++; }
  } else writeFileSync(path, text);
}
// Every own-* file is this script's: one it no longer writes is stale.
for (const name of readdirSync(outDir))
  if (name.startsWith('own-') && !names.has(name)) { console.error(`stale (remove it): ${name}`); differ++; }
if (differ) process.exit(1);
console.log(`generate-own-valid: ${files.length} files ${check ? 'checked' : 'written'} in tests/corpus/valid`);
