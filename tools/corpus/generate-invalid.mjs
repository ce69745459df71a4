#!/usr/bin/env node
// Writes the systematic part of tests/corpus/invalid/: each file starts from a
// message of tests/corpus/valid/ and breaks exactly one thing. The file name
// starts with the ERROR code the server must answer (4001 MalformedPayload,
// 4002 InvalidMessageType, 4003 UnsupportedQsipVersion, 4004 MessageTooLarge).
// It also writes the special files whose content cannot be typed by hand
// (invalid UTF-8, 10,000-deep nesting, 1 MiB string, 65,537 bytes).
// Hand-written files of tests/corpus/invalid/ are left alone.
//
// usage: node tools/corpus/generate-invalid.mjs [--check]
//   --check: write nothing, exit 1 if a committed file differs from its generated content.
import { existsSync, readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const validDir = join(root, 'tests', 'corpus', 'valid');
const outDir = join(root, 'tests', 'corpus', 'invalid');
const check = process.argv.includes('--check');

const out = new Map();  // file name -> Buffer
function emitRaw(name, content) {
  if (out.has(name)) throw new Error(`duplicate output ${name}`);
  out.set(name, Buffer.isBuffer(content) ? content : Buffer.from(content, 'utf8'));
}
function emit(code, what, msg) { emitRaw(`${code}-${what}.json`, JSON.stringify(msg, null, 2) + '\n'); }

const base = (file) => JSON.parse(readFileSync(join(validDir, file), 'utf8'));
const clone = (v) => structuredClone(v);
// path: array of keys/indices, or a dotted string
const parts = (path) => (Array.isArray(path) ? path : path.split('.'));
function setAt(msg, path, value) {
  const m = clone(msg), p = parts(path);
  let o = m;
  for (const k of p.slice(0, -1)) o = o[k];
  o[p.at(-1)] = value;
  return m;
}
function deleteAt(msg, path) {
  const m = clone(msg), p = parts(path);
  let o = m;
  for (const k of p.slice(0, -1)) o = o[k];
  if (!(p.at(-1) in o)) throw new Error(`deleteAt: ${p.join('.')} not in message`);
  delete o[p.at(-1)];
  return m;
}
const withPayload = (msg, payload) => ({ ...clone(msg), payload });
const slug = (s) => String(s).replaceAll('.', '-');

// ---------------------------------------------------------------------------
// 1. For every type: each REQUIRED payload field missing, null, and of a wrong
//    JSON type.
// ---------------------------------------------------------------------------
const managedId = {
  BOT: 'bot', VOICEMAIL: 'voicemail', FEDERATION: 'server', WORKSPACE: 'workspace', STORY: 'story',
  FORM: 'form', PAYMENT: 'payment', TRANSCRIPT: 'transcript', BACKUP: 'backup', MFA: 'mfa',
};
const managedFile = {
  BOT: '05.31-BOT.json', VOICEMAIL: '05.32-VOICEMAIL.json', FEDERATION: '05.33-FEDERATION.json',
  WORKSPACE: '05.34-WORKSPACE.json', STORY: '05.35-STORY.json', FORM: '05.36-FORM.json',
  PAYMENT: '05.37-PAYMENT.json', TRANSCRIPT: '05.38-TRANSCRIPT.json', BACKUP: '05.39-BACKUP.json',
  MFA: '05.40-MFA.json',
};
// type -> [base file, {required field: a value of a wrong JSON type}]
const required = {
  REGISTER: ['05.01-REGISTER.json', { auth_token: 42, device_info: 'Pixel 8' }],
  PRESENCE: ['05.02-PRESENCE.json', { status: true }],
  INVITE: ['05.03-INVITE.json', { media_types: 'audio' }],
  REJECT: ['05.05-REJECT.json', { reason: 486 }],
  END: ['05.06-END.json', { reason: { code: 'hangup' } }],
  SESSION: ['05.07-SESSION-hold.json', { action: ['hold'] }],
  CHANNEL_UPDATE: ['05.08-CHANNEL_UPDATE.json', { channels: ['video'] }],
  MESSAGE: ['05.09-MESSAGE-text.json', { message_type: 1, content: 42 }],
  REACTION: ['05.10-REACTION.json', { target_message_id: 17, reaction: true }],
  RECEIPT: ['05.11-RECEIPT.json', { target_message_id: {}, status: 1 }],
  MESSAGE_ACTION: ['05.12-MESSAGE_ACTION.json', { action: 1, target_message_id: ['m-1'] }],
  INFO: ['05.13-INFO.json', { info_type: false }],
  GROUP: ['05.14-GROUP.json', { action: 1 }],
  POLL: ['05.15-POLL.json', { action: 3 }],
  QUEUE: ['05.16-QUEUE.json', { action: 1, queue_id: 7 }],
  CALENDAR: ['05.17-CALENDAR.json', { action: {} }],
  SCHEDULE: ['05.18-SCHEDULE.json', { action: 1 }],
  ANALYTICS: ['05.19-ANALYTICS.json', { event_name: 1 }],
  MODERATION: ['05.20-MODERATION.json', { action: true }],
  AUDIT_EVENT: ['05.21-AUDIT_EVENT.json', { event_type: ['user_login'] }],
  ERROR: ['05.22-ERROR.json', { code: '4001', reason: 4001 }],
  KEY_EXCHANGE: ['own-KEY_EXCHANGE-top-level-keys.json', { mechanism: 1, key_material: 1234, key_id: true }],
  USER_PROFILE: ['05.25-USER_PROFILE.json', { action: 1 }],
  SYNC: ['05.26-SYNC.json', { action: 1, device_id: 1, timestamp: 1748742900 }],
  PUSH: ['05.27-PUSH.json', { action: 1, topic: 1, data: 'x' }],
  SEARCH: ['05.28-SEARCH.json', { action: 1, query: 1 }],
  ROSTER: ['05.29-ROSTER.json', { action: 1, contact_id: 1, contact_info: 'x' }],
  CHANNEL: ['05.30-CHANNEL.json', { action: 1, channel_id: 1 }],
  SUBSCRIPTION: ['05.41-SUBSCRIPTION-thread-summary.json', { action: 1, subscription_type: 1 }],
  INTERACTIVE: ['05.42-INTERACTIVE.json', { interaction_type: 1, source_message_id: 1, action_id: 1 }],
  COMMAND: ['05.43-COMMAND.json', { command_type: 1, command: ['remind'] }],
  WEBHOOK: ['05.44-WEBHOOK.json', { webhook_type: 1 }],
  WORKFLOW: ['05.45-WORKFLOW.json', { action: 1 }],
  MODAL: ['05.46-MODAL.json', { action: 1 }],
  CLIP: ['05.47-CLIP.json', { action: 1 }],
};
for (const [type, stem] of Object.entries(managedId))
  required[type] = [managedFile[type], { action: 1, [`${stem}_id`]: 1, [`${stem}_info`]: 'x' }];

for (const [type, [file, wrong]] of Object.entries(required)) {
  const b = base(file);
  let first = true;
  for (const [field, bad] of Object.entries(wrong)) {
    emit(4001, `${type}-missing-${field}`, deleteAt(b, ['payload', field]));
    emit(4001, `${type}-${field}-wrong-type`, setAt(b, ['payload', field], bad));
    if (first) emit(4001, `${type}-${field}-null`, setAt(b, ['payload', field], null));
    first = false;
  }
}
// Types without a REQUIRED payload field: wrong JSON types of OPTIONAL fields.
{
  const a = base('05.04-ACCEPT.json');
  emit(4001, 'ACCEPT-sdp_answer-wrong-type', setAt(a, 'payload.sdp_answer', 42));
  emit(4001, 'ACCEPT-encryption-wrong-type', setAt(a, 'payload.encryption', ['sframe']));
  emit(4001, 'ACCEPT-codecs-wrong-type', setAt(a, 'payload.codecs', 'opus'));
  emit(4001, 'ACCEPT-ice_candidates-wrong-type', setAt(a, 'payload.ice_candidates', { candidate: 'x' }));
  emit(4001, 'ACCEPT-missing-payload', deleteAt(a, 'payload'));
  const m = base('05.24-MEDIA_UPDATE.json');
  emit(4001, 'MEDIA_UPDATE-add_tracks-wrong-type', setAt(m, 'payload.add_tracks', 'video'));
  emit(4001, 'MEDIA_UPDATE-add_tracks-item-wrong-type', setAt(m, 'payload.add_tracks', ['video-alice-2']));
  emit(4001, 'MEDIA_UPDATE-remove_tracks-wrong-type', setAt(m, 'payload.remove_tracks', 'old-track-id'));
  emit(4001, 'MEDIA_UPDATE-remove_tracks-item-wrong-type', setAt(m, 'payload.remove_tracks', [1]));
  emit(4001, 'MEDIA_UPDATE-update_tracks-wrong-type', setAt(m, 'payload.update_tracks', {}));
  for (const f of ['track_id', 'kind', 'codec'])
    emit(4001, `MEDIA_UPDATE-add_tracks-missing-${f}`, deleteAt(m, ['payload', 'add_tracks', 0, f]));
  emit(4001, 'MEDIA_UPDATE-update_tracks-missing-track_id',
       setAt(m, 'payload.update_tracks', [{ direction: 'recvonly' }]));
  emit(4001, 'MEDIA_UPDATE-direction-bad-value', setAt(m, ['payload', 'add_tracks', 0, 'direction'], 'sendreceive'));
  const f = base('own-MEDIA_UPDATE-add-tracks-with-flow-id.json');
  emit(4001, 'MEDIA_UPDATE-flow_id-fraction', setAt(f, ['payload', 'add_tracks', 0, 'flow_id'], 4.5));
  emit(4001, 'MEDIA_UPDATE-flow_id-negative', setAt(f, ['payload', 'add_tracks', 0, 'flow_id'], -1));
  emit(4001, 'MEDIA_UPDATE-flow_id-wrong-type', setAt(f, ['payload', 'add_tracks', 0, 'flow_id'], '4'));
  // 2^63 (9223372036854775808) is beyond 2^62-1; written as text to keep every digit.
  emitRaw('4001-MEDIA_UPDATE-flow_id-2-pow-63.json',
          JSON.stringify(setAt(f, ['payload', 'add_tracks', 0, 'flow_id'], 0), null, 2)
            .replace('"flow_id": 0', '"flow_id": 9223372036854775808') + '\n');
  const it = base('own-INVITE-tracks-with-flow-ids.json');
  emit(4001, 'INVITE-tracks-flow_id-fraction', setAt(it, ['payload', 'tracks', 0, 'flow_id'], 0.5));
}

// ---------------------------------------------------------------------------
// 2. Closed value lists: a value outside the list.
// ---------------------------------------------------------------------------
const badValues = [
  ['PRESENCE', '05.02-PRESENCE.json', 'status', 'invisible'],
  ['PRESENCE', '05.02-PRESENCE.json', 'status', 'Busy', 'status-wrong-case'],
  ['SESSION', '05.07-SESSION-hold.json', 'action', 'pause'],
  ['MESSAGE', '05.09-MESSAGE-text.json', 'message_type', 'sticker'],
  ['MESSAGE', '05.09-MESSAGE-text.json', 'message_type', 'TEXT', 'message_type-wrong-case'],
  ['MESSAGE', '05.09-MESSAGE-text.json', 'priority', 'high'],
  ['REACTION', '05.10-REACTION.json', 'action', 'toggle'],
  ['MESSAGE_ACTION', '05.12-MESSAGE_ACTION.json', 'action', 'pin'],
  ['GROUP', '05.14-GROUP.json', 'action', 'archive'],
  ['GROUP', 'own-GROUP-set-role.json', 'role', 'superuser'],
  ['GROUP', '05.14-GROUP.json', 'visibility', 'secret'],
  ['POLL', '05.15-POLL.json', 'action', 'reopen'],
  ['QUEUE', '05.16-QUEUE.json', 'action', 'transfer'],
  ['CALENDAR', '05.17-CALENDAR.json', 'action', 'create'],
  ['CALENDAR', 'own-CALENDAR-respond-to-invite-accept.json', 'response', 'maybe'],
  ['SCHEDULE', '05.18-SCHEDULE.json', 'action', 'create'],
  ['MODERATION', '05.20-MODERATION.json', 'action', 'ban_user'],
  ['AUDIT_EVENT', '05.21-AUDIT_EVENT.json', 'status', 'partial'],
  ['USER_PROFILE', '05.25-USER_PROFILE.json', 'action', 'delete'],
  ['SYNC', '05.26-SYNC.json', 'action', 'push'],
  ['PUSH', '05.27-PUSH.json', 'action', 'publish'],
  ['SEARCH', '05.28-SEARCH.json', 'action', 'channel'],
  ['ROSTER', '05.29-ROSTER.json', 'action', 'befriend'],
  ['CHANNEL', '05.30-CHANNEL.json', 'action', 'rename'],
  ['BOT', '05.31-BOT.json', 'action', 'get'],
  ['VOICEMAIL', '05.32-VOICEMAIL.json', 'action', 'update'],
  ['FEDERATION', '05.33-FEDERATION.json', 'action', 'add'],
  ['WORKSPACE', '05.34-WORKSPACE.json', 'action', 'rename'],
  ['STORY', '05.35-STORY.json', 'action', 'update'],
  ['FORM', '05.36-FORM.json', 'action', 'update'],
  ['PAYMENT', '05.37-PAYMENT.json', 'action', 'charge'],
  ['TRANSCRIPT', '05.38-TRANSCRIPT.json', 'action', 'update'],
  ['BACKUP', '05.39-BACKUP.json', 'action', 'restore'],
  ['MFA', '05.40-MFA.json', 'action', 'verify'],
  ['SUBSCRIPTION', '05.41-SUBSCRIPTION-thread-summary.json', 'action', 'pause'],
  ['SUBSCRIPTION', '05.41-SUBSCRIPTION-thread-summary.json', 'subscription_type', 'group'],
  ['INTERACTIVE', '05.42-INTERACTIVE.json', 'interaction_type', 'hover'],
  ['INTERACTIVE', '05.42-INTERACTIVE.json', 'response_type', 'private'],
  ['COMMAND', '05.43-COMMAND.json', 'command_type', 'voice'],
  ['WEBHOOK', '05.44-WEBHOOK.json', 'webhook_type', 'bidirectional'],
  ['WEBHOOK', 'own-WEBHOOK-configure-create.json', 'action', 'get'],
  ['WORKFLOW', '05.45-WORKFLOW.json', 'action', 'cancel'],
  ['MODAL', '05.46-MODAL.json', 'action', 'dismiss'],
  ['CLIP', '05.47-CLIP.json', 'action', 'edit'],
];
for (const [type, file, field, value, what] of badValues)
  emit(4001, `${type}-${what ?? `${field}-bad-value`}`, setAt(base(file), ['payload', field], value));
emit(4001, 'CLIP-share_targets-type-bad-value', setAt(base('05.47-CLIP.json'), ['payload', 'share_targets', 0, 'type'], 'workspace'));

// ---------------------------------------------------------------------------
// 3. Conditional requirements.
// ---------------------------------------------------------------------------
// GROUP: group_id for every action but create; members for invite; target_user_id
// for kick, set_role, approve_join, deny_join; role for set_role.
for (const action of ['update', 'delete', 'invite', 'join', 'leave', 'kick', 'set_role', 'get_info', 'list_members',
                      'invited_to_group', 'approve_join', 'deny_join', 'member_joined', 'member_left', 'role_changed',
                      'group_deleted', 'join_requested'])
  emit(4001, `GROUP-${slug(action.replaceAll('_', '-'))}-missing-group_id`,
       deleteAt(base(`own-GROUP-${action.replaceAll('_', '-')}.json`), 'payload.group_id'));
emit(4001, 'GROUP-invite-missing-members', deleteAt(base('own-GROUP-invite.json'), 'payload.members'));
emit(4001, 'GROUP-invite-members-wrong-type', setAt(base('own-GROUP-invite.json'), 'payload.members', 'u-carol'));
for (const action of ['kick', 'set_role', 'approve_join', 'deny_join'])
  emit(4001, `GROUP-${action.replaceAll('_', '-')}-missing-target_user_id`,
       deleteAt(base(`own-GROUP-${action.replaceAll('_', '-')}.json`), 'payload.target_user_id'));
emit(4001, 'GROUP-set-role-missing-role', deleteAt(base('own-GROUP-set-role.json'), 'payload.role'));
emit(4001, 'GROUP-set-role-role-null', setAt(base('own-GROUP-set-role.json'), 'payload.role', null));

// POLL
for (const [action, file] of [['vote', 'own-POLL-vote.json'], ['get_results', 'own-POLL-get-results.json'], ['close', 'own-POLL-close.json']])
  emit(4001, `POLL-${action.replaceAll('_', '-')}-missing-poll_id`, deleteAt(base(file), 'payload.poll_id'));
for (const f of ['context_id', 'question', 'options'])
  emit(4001, `POLL-create-missing-${f}`, deleteAt(base('05.15-POLL.json'), ['payload', f]));
emit(4001, 'POLL-create-options-wrong-type', setAt(base('05.15-POLL.json'), 'payload.options', 'A, B, C'));
emit(4001, 'POLL-vote-missing-selected_option_index', deleteAt(base('own-POLL-vote.json'), 'payload.selected_option_index'));
emit(4001, 'POLL-vote-selected_option_index-fraction', setAt(base('own-POLL-vote.json'), 'payload.selected_option_index', 1.5));
emit(4001, 'POLL-vote-selected_option_index-negative', setAt(base('own-POLL-vote.json'), 'payload.selected_option_index', -1));
emit(4001, 'POLL-vote-selected_option_index-wrong-type', setAt(base('own-POLL-vote.json'), 'payload.selected_option_index', '1'));

// QUEUE
emit(4001, 'QUEUE-get-status-missing-queue_id', deleteAt(base('own-QUEUE-get-status.json'), 'payload.queue_id'));
for (const action of ['dequeue', 'assign_agent', 'agent_accept', 'agent_reject'])
  emit(4001, `QUEUE-${action.replaceAll('_', '-')}-missing-item_id`,
       deleteAt(base(`own-QUEUE-${action.replaceAll('_', '-')}.json`), 'payload.item_id'));
emit(4001, 'QUEUE-update-priority-missing-item_id', deleteAt(base('own-QUEUE-update-priority-number.json'), 'payload.item_id'));
emit(4001, 'QUEUE-update-priority-missing-priority', deleteAt(base('own-QUEUE-update-priority-number.json'), 'payload.priority'));
emit(4001, 'QUEUE-priority-wrong-type', setAt(base('own-QUEUE-update-priority-number.json'), 'payload.priority', true));
emit(4001, 'QUEUE-enqueue-priority-wrong-type', setAt(base('05.16-QUEUE.json'), 'payload.priority', { level: 'high' }));

// CALENDAR
for (const action of ['update_event', 'delete_event', 'get_event'])
  emit(4001, `CALENDAR-${action.replaceAll('_', '-')}-missing-event_id`,
       deleteAt(base(`own-CALENDAR-${action.replaceAll('_', '-')}.json`), 'payload.event_id'));
emit(4001, 'CALENDAR-respond-to-invite-missing-event_id', deleteAt(base('own-CALENDAR-respond-to-invite-accept.json'), 'payload.event_id'));
emit(4001, 'CALENDAR-respond-to-invite-missing-response', deleteAt(base('own-CALENDAR-respond-to-invite-accept.json'), 'payload.response'));
emit(4001, 'CALENDAR-create-event-missing-title', deleteAt(base('05.17-CALENDAR.json'), 'payload.title'));
emit(4001, 'CALENDAR-create-event-missing-start_time', deleteAt(base('05.17-CALENDAR.json'), 'payload.start_time'));
emit(4001, 'CALENDAR-start_time-not-a-timestamp', setAt(base('05.17-CALENDAR.json'), 'payload.start_time', 'next Saturday 3pm'));
emit(4001, 'CALENDAR-participants-missing-user_id', setAt(base('05.17-CALENDAR.json'), ['payload', 'participants', 1], { role: 'attendee' }));

// SCHEDULE
for (const action of ['update_schedule', 'delete_schedule', 'get_schedule'])
  emit(4001, `SCHEDULE-${action.replaceAll('_', '-')}-missing-schedule_id`,
       deleteAt(base(`own-SCHEDULE-${action.replaceAll('_', '-')}.json`), 'payload.schedule_id'));
{
  const s = base('05.18-SCHEDULE.json');
  const sm = ['payload', 'scheduled_message'];
  emit(4001, 'SCHEDULE-create-missing-scheduled_message', deleteAt(s, sm));
  emit(4001, 'SCHEDULE-create-missing-schedule_time', deleteAt(s, 'payload.schedule_time'));
  emit(4001, 'SCHEDULE-schedule_time-not-a-timestamp', setAt(s, 'payload.schedule_time', '2025-06-03 17:00'));
  emit(4001, 'SCHEDULE-scheduled_message-wrong-type', setAt(s, sm, 'MESSAGE'));
  emit(4001, 'SCHEDULE-scheduled_message-array', setAt(s, sm, [s.payload.scheduled_message]));
  emit(4001, 'SCHEDULE-scheduled_message-missing-from', deleteAt(s, [...sm, 'from']));
  emit(4001, 'SCHEDULE-scheduled_message-missing-message_id', deleteAt(s, [...sm, 'message_id']));
  emit(4001, 'SCHEDULE-scheduled_message-bad-timestamp', setAt(s, [...sm, 'timestamp'], 'tomorrow'));
  emit(4001, 'SCHEDULE-scheduled_message-version-2', setAt(s, [...sm, 'qsip_version'], '2.0'));
  emit(4001, 'SCHEDULE-scheduled_message-type-unknown', setAt(s, [...sm, 'type'], 'FOO'));
  emit(4001, 'SCHEDULE-scheduled_message-missing-content', deleteAt(s, [...sm, 'payload', 'content']));
  emit(4001, 'SCHEDULE-scheduled_message-no-target', setAt(s, [...sm, 'to'], {}));
  emit(4001, 'SCHEDULE-scheduled_message-invite-without-session_id',
       setAt(s, sm, { ...s.payload.scheduled_message, to: { user_id: 'u-bob' }, type: 'INVITE', payload: { media_types: ['audio'] } }));
  emit(4001, 'SCHEDULE-scheduled_message-is-schedule',
       setAt(s, sm, { ...s.payload.scheduled_message, to: {}, type: 'SCHEDULE', payload: { action: 'get_schedule', schedule_id: 'sched-1' } }));
}

// MODERATION
for (const action of ['mute_user_in_group', 'unmute_user_in_group', 'kick_user_from_group', 'ban_user_from_group',
                      'unban_user_from_group', 'warn_user', 'suspend_user_account'])
  emit(4001, `MODERATION-${action.replaceAll('_', '-')}-missing-target_user_id`,
       deleteAt(base(`own-MODERATION-${action.replaceAll('_', '-')}.json`), 'payload.target_user_id'));
for (const action of ['mute_user_in_group', 'unmute_user_in_group', 'kick_user_from_group', 'ban_user_from_group', 'unban_user_from_group'])
  emit(4001, `MODERATION-${action.replaceAll('_', '-')}-missing-target_group_id`,
       deleteAt(base(`own-MODERATION-${action.replaceAll('_', '-')}.json`), 'payload.target_group_id'));
emit(4001, 'MODERATION-delete-message-missing-target_message_id', deleteAt(base('own-MODERATION-delete-message.json'), 'payload.target_message_id'));

// MESSAGE_ACTION, SESSION, USER_PROFILE, SUBSCRIPTION, WEBHOOK
emit(4001, 'MESSAGE_ACTION-edit-without-new-content', deleteAt(base('05.12-MESSAGE_ACTION.json'), 'payload.new_content'));
emit(4001, 'MESSAGE_ACTION-edit-new-content-null', setAt(base('05.12-MESSAGE_ACTION.json'), 'payload.new_content', null));
emit(4001, 'MESSAGE_ACTION-new_payload-wrong-type', setAt(base('own-MESSAGE_ACTION-edit-new-payload.json'), 'payload.new_payload', 'text'));
emit(4001, 'SESSION-transfer-missing-transfer_to_user_id', deleteAt(base('own-SESSION-transfer.json'), 'payload.transfer_to_user_id'));
emit(4001, 'USER_PROFILE-set-missing-profile_data', deleteAt(base('05.25-USER_PROFILE.json'), 'payload.profile_data'));
emit(4001, 'USER_PROFILE-profile_data-wrong-type', setAt(base('05.25-USER_PROFILE.json'), 'payload.profile_data', 'on vacation'));
emit(4001, 'USER_PROFILE-rename-device-missing-device_id', deleteAt(base('own-USER_PROFILE-rename-device.json'), 'payload.device_id'));
emit(4001, 'USER_PROFILE-rename-device-missing-device_name', deleteAt(base('own-USER_PROFILE-rename-device.json'), 'payload.device_name'));
emit(4001, 'USER_PROFILE-remove-device-missing-device_id', deleteAt(base('own-USER_PROFILE-remove-device.json'), 'payload.device_id'));
emit(4001, 'SUBSCRIPTION-subscribe-missing-target_id', deleteAt(base('05.41-SUBSCRIPTION-bot-output.json'), 'payload.target_id'));
emit(4001, 'SUBSCRIPTION-unsubscribe-missing-target_id', deleteAt(base('own-SUBSCRIPTION-unsubscribe-thread.json'), 'payload.target_id'));
emit(4001, 'WEBHOOK-configure-missing-action', deleteAt(base('own-WEBHOOK-configure-create.json'), 'payload.action'));
emit(4001, 'WEBHOOK-configure-action-null', setAt(base('own-WEBHOOK-configure-list.json'), 'payload.action', null));

// WORKFLOW
for (const action of ['update', 'delete', 'execute', 'pause', 'resume', 'get_status'])
  emit(4001, `WORKFLOW-${action.replaceAll('_', '-')}-missing-workflow_id`,
       deleteAt(base(`own-WORKFLOW-${action.replaceAll('_', '-')}.json`), 'payload.workflow_id'));
{
  const w = base('05.45-WORKFLOW.json');
  emit(4001, 'WORKFLOW-create-missing-trigger', deleteAt(w, 'payload.trigger'));
  emit(4001, 'WORKFLOW-create-missing-steps', deleteAt(w, 'payload.steps'));
  emit(4001, 'WORKFLOW-trigger-missing-type', deleteAt(w, 'payload.trigger.type'));
  emit(4001, 'WORKFLOW-trigger-type-wrong-type', setAt(w, 'payload.trigger.type', 1));
  emit(4001, 'WORKFLOW-trigger-wrong-type', setAt(w, 'payload.trigger', 'event'));
  emit(4001, 'WORKFLOW-steps-wrong-type', setAt(w, 'payload.steps', { id: 'notify_manager' }));
  emit(4001, 'WORKFLOW-steps-item-wrong-type', setAt(w, ['payload', 'steps', 0], 'notify_manager'));
  for (const f of ['id', 'type', 'config'])
    emit(4001, `WORKFLOW-steps-missing-${f}`, deleteAt(w, ['payload', 'steps', 1, f]));
  emit(4001, 'WORKFLOW-steps-config-wrong-type', setAt(w, ['payload', 'steps', 0, 'config'], 'send it'));
}

// MODAL
{
  const m = base('05.46-MODAL.json');
  emit(4001, 'MODAL-open-missing-trigger_id', deleteAt(m, 'payload.trigger_id'));
  emit(4001, 'MODAL-open-missing-view', deleteAt(m, 'payload.view'));
  for (const f of ['type', 'title', 'blocks'])
    emit(4001, `MODAL-view-missing-${f}`, deleteAt(m, ['payload', 'view', f]));
  emit(4001, 'MODAL-view-blocks-wrong-type', setAt(m, 'payload.view.blocks', { type: 'input' }));
  emit(4001, 'MODAL-update-missing-view', deleteAt(base('own-MODAL-update.json'), 'payload.view'));
}

// CLIP
for (const [action, file] of [['upload', 'own-CLIP-upload.json'], ['share', '05.47-CLIP.json'], ['delete', 'own-CLIP-delete.json'],
                              ['transcribe', 'own-CLIP-transcribe.json']])
  emit(4001, `CLIP-${action}-missing-clip_id`, deleteAt(base(file), 'payload.clip_id'));
for (const f of ['format', 'file_size', 'url'])
  emit(4001, `CLIP-recording_data-missing-${f}`, deleteAt(base('05.47-CLIP.json'), ['payload', 'recording_data', f]));
for (const f of ['type', 'id'])
  emit(4001, `CLIP-share_targets-missing-${f}`, deleteAt(base('05.47-CLIP.json'), ['payload', 'share_targets', 0, f]));

// KEY_EXCHANGE: key_material and key_id, at the top level or inside sframe_params
{
  const k = base('05.23-KEY_EXCHANGE.json');
  emit(4001, 'KEY_EXCHANGE-sframe_params-missing-key_material', deleteAt(k, 'payload.sframe_params.key_material'));
  emit(4001, 'KEY_EXCHANGE-sframe_params-missing-key_id', deleteAt(k, 'payload.sframe_params.key_id'));
  emit(4001, 'KEY_EXCHANGE-sframe_params-key_id-wrong-type', setAt(k, 'payload.sframe_params.key_id', false));
  emit(4001, 'KEY_EXCHANGE-missing-sframe_params', deleteAt(k, 'payload.sframe_params'));
  emit(4001, 'KEY_EXCHANGE-sframe_params-null', setAt(k, 'payload.sframe_params', null));
  emit(4001, 'KEY_EXCHANGE-sframe_params-wrong-type', setAt(k, 'payload.sframe_params', 'key'));
}

// ---------------------------------------------------------------------------
// 4. MESSAGE content shaped by message_type, and other MESSAGE fields.
// ---------------------------------------------------------------------------
{
  const text = base('05.09-MESSAGE-text.json');
  const file = base('05.09-MESSAGE-file.json');
  emit(4001, 'MESSAGE-text-content-object', setAt(text, 'payload.content', { text: 'hello' }));
  emit(4001, 'MESSAGE-text-content-null', setAt(text, 'payload.content', null));
  emit(4001, 'MESSAGE-file-content-string', setAt(file, 'payload.content', 'https://cdn.example.com/files/design-spec-v2.pdf'));
  for (const f of ['file_name', 'file_size', 'mime_type', 'url'])
    emit(4001, `MESSAGE-file-content-missing-${f}`, deleteAt(file, ['payload', 'content', f]));
  emit(4001, 'MESSAGE-file-file_size-negative', setAt(file, 'payload.content.file_size', -1));
  emit(4001, 'MESSAGE-file-file_size-wrong-type', setAt(file, 'payload.content.file_size', '1048576'));
  emit(4001, 'MESSAGE-image-content-missing-url', deleteAt(base('own-MESSAGE-image.json'), 'payload.content.url'));
  emit(4001, 'MESSAGE-audio_clip-content-missing-mime_type', deleteAt(base('own-MESSAGE-audio-clip.json'), 'payload.content.mime_type'));
  emit(4001, 'MESSAGE-video_clip-content-missing-file_name', deleteAt(base('own-MESSAGE-video-clip.json'), 'payload.content.file_name'));
  emit(4001, 'MESSAGE-video_clip-content-string', setAt(base('own-MESSAGE-video-clip.json'), 'payload.content', 'clip.mp4'));
  emit(4001, 'MESSAGE-attachments-item-missing-url', setAt(file, 'payload.attachments', [{ file_name: 'a.txt', file_size: 1, mime_type: 'text/plain' }]));
  const loc = base('own-MESSAGE-location.json');
  emit(4001, 'MESSAGE-location-missing-latitude', deleteAt(loc, 'payload.content.latitude'));
  emit(4001, 'MESSAGE-location-missing-longitude', deleteAt(loc, 'payload.content.longitude'));
  emit(4001, 'MESSAGE-location-latitude-91', setAt(loc, 'payload.content.latitude', 91));
  emit(4001, 'MESSAGE-location-latitude-minus-90.5', setAt(loc, 'payload.content.latitude', -90.5));
  emit(4001, 'MESSAGE-location-longitude-180.001', setAt(loc, 'payload.content.longitude', 180.001));
  emit(4001, 'MESSAGE-location-longitude-minus-181', setAt(loc, 'payload.content.longitude', -181));
  emit(4001, 'MESSAGE-location-latitude-wrong-type', setAt(loc, 'payload.content.latitude', '48.8584'));
  emit(4001, 'MESSAGE-location-content-string', setAt(loc, 'payload.content', '48.8584,2.2945'));
  const card = base('05.09-MESSAGE-card.json');
  for (const f of ['type', 'label', 'action_id'])
    emit(4001, `MESSAGE-card-action-missing-${f}`, deleteAt(card, ['payload', 'content', 'actions', 0, f]));
  emit(4001, 'MESSAGE-card-content-string', setAt(card, 'payload.content', 'Meeting Reminder'));
  emit(4001, 'MESSAGE-card-actions-wrong-type', setAt(card, 'payload.content.actions', 'Join Meeting'));
  const car = base('05.09-MESSAGE-carousel.json');
  emit(4001, 'MESSAGE-carousel-missing-items', deleteAt(car, 'payload.content.items'));
  emit(4001, 'MESSAGE-carousel-items-wrong-type', setAt(car, 'payload.content.items', { title: 'x' }));
  emit(4001, 'MESSAGE-carousel-content-array', setAt(car, 'payload.content', car.payload.content.items));
  emit(4001, 'MESSAGE-canvas-missing-canvas_id', deleteAt(base('own-MESSAGE-canvas.json'), 'payload.content.canvas_id'));
  emit(4001, 'MESSAGE-embed-missing-embed_type', deleteAt(base('own-MESSAGE-embed.json'), 'payload.content.embed_type'));
  emit(4001, 'MESSAGE-embed-missing-embed_url', deleteAt(base('own-MESSAGE-embed.json'), 'payload.content.embed_url'));
  const men = base('own-MESSAGE-text-urgent-mentions-thread.json');
  emit(4001, 'MESSAGE-mentions-missing-user_id', deleteAt(men, ['payload', 'mentions', 0, 'user_id']));
  emit(4001, 'MESSAGE-mentions-missing-display_text', deleteAt(men, ['payload', 'mentions', 1, 'display_text']));
  emit(4001, 'MESSAGE-mentions-item-wrong-type', setAt(men, ['payload', 'mentions', 0], 'u-bob'));
  emit(4001, 'MESSAGE-ephemeral_ttl-negative', setAt(text, 'payload.ephemeral_ttl', -1));
  emit(4001, 'MESSAGE-ephemeral_ttl-wrong-type', setAt(text, 'payload.ephemeral_ttl', '86400'));
  emit(4001, 'MESSAGE-no-target-to-empty', setAt(text, 'to', {}));
  emit(4001, 'MESSAGE-no-target-to-server-only', setAt(text, 'to', { server_id: 'qsip.example.com' }));
  emit(4001, 'MESSAGE-no-target-call-center-only', setAt(text, 'to', { call_center_id: 'cc-main-service' }));
  emit(4001, 'MESSAGE-no-target-user_id-null', setAt(text, 'to', { user_id: null }));
}

// ---------------------------------------------------------------------------
// 5. Other type-specific rules.
// ---------------------------------------------------------------------------
{
  const inv = base('05.03-INVITE.json');
  emit(4001, 'INVITE-no-target-to-empty', setAt(inv, 'to', {}));
  emit(4001, 'INVITE-no-target-call-center-only', setAt(inv, 'to', { call_center_id: 'cc-main-service' }));
  emit(4001, 'INVITE-target_group_id-null', setAt(setAt(inv, 'to', {}), 'payload.target_group_id', null));
  emit(4001, 'INVITE-media_types-item-wrong-type', setAt(inv, 'payload.media_types', ['audio', 2]));
  const reg = base('05.01-REGISTER.json');
  emit(4001, 'REGISTER-device_info-array', setAt(reg, 'payload.device_info', ['Android']));
  const cu = base('05.08-CHANNEL_UPDATE.json');
  emit(4001, 'CHANNEL_UPDATE-channel-not-object', setAt(cu, 'payload.channels.video', true));
  emit(4001, 'CHANNEL_UPDATE-enabled-wrong-type', setAt(cu, 'payload.channels.video.enabled', 'no'));
  emit(4001, 'CHANNEL_UPDATE-muted-wrong-type', setAt(cu, 'payload.channels', { audio: { muted: 1 } }));
  const err = base('05.22-ERROR.json');
  emit(4001, 'ERROR-code-fraction', setAt(err, 'payload.code', 4001.5));
  emit(4001, 'ERROR-code-999', setAt(err, 'payload.code', 999));
  emit(4001, 'ERROR-code-7000', setAt(err, 'payload.code', 7000));
  const se = base('05.28-SEARCH.json');
  emit(4001, 'SEARCH-limit-negative', setAt(se, 'payload.limit', -1));
  emit(4001, 'SEARCH-limit-fraction', setAt(se, 'payload.limit', 2.5));
  emit(4001, 'SEARCH-offset-wrong-type', setAt(se, 'payload.offset', '0'));
  emit(4001, 'SEARCH-offset-negative', setAt(se, 'payload.offset', -10));
  const sy = base('05.26-SYNC.json');
  emit(4001, 'SYNC-timestamp-not-a-timestamp', setAt(sy, 'payload.timestamp', 'yesterday'));
  emit(4001, 'SYNC-timestamp-without-Z', setAt(sy, 'payload.timestamp', '2025-06-01T01:55:00'));
}

// ---------------------------------------------------------------------------
// 6. Envelope.
// ---------------------------------------------------------------------------
{
  const m = base('05.09-MESSAGE-text.json');
  for (const f of ['qsip_version', 'message_id', 'timestamp', 'from', 'to', 'type', 'payload'])
    emit(4001, `envelope-missing-${f}`, deleteAt(m, f));
  for (const f of ['message_id', 'timestamp', 'from', 'to', 'type', 'payload', 'qsip_version'])
    emit(4001, `envelope-${f}-null`, setAt(m, f, null));
  // qsip_version: checked before anything else
  emit(4003, 'envelope-qsip_version-2.0', setAt(m, 'qsip_version', '2.0'));
  emit(4003, 'envelope-qsip_version-1.1', setAt(m, 'qsip_version', '1.1'));
  emit(4003, 'envelope-qsip_version-1', setAt(m, 'qsip_version', '1'));
  emit(4003, 'envelope-qsip_version-empty', setAt(m, 'qsip_version', ''));
  emit(4003, 'envelope-qsip_version-trailing-space', setAt(m, 'qsip_version', '1.0 '));
  emit(4003, 'envelope-qsip_version-2.0-and-type-unknown', setAt(setAt(m, 'qsip_version', '2.0'), 'type', 'FOO'));
  emit(4003, 'envelope-qsip_version-2.0-and-payload-missing', deleteAt(setAt(m, 'qsip_version', '2.0'), 'payload'));
  emit(4003, 'envelope-qsip_version-2.0-and-from-missing', deleteAt(setAt(m, 'qsip_version', '2.0'), 'from'));
  emit(4001, 'envelope-qsip_version-number', setAt(m, 'qsip_version', 1.0));
  // type: checked right after qsip_version
  emit(4002, 'envelope-type-lower-case-message', setAt(m, 'type', 'message'));
  emit(4002, 'envelope-type-FOO', setAt(m, 'type', 'FOO'));
  emit(4002, 'envelope-type-mixed-case', setAt(m, 'type', 'Message'));
  emit(4002, 'envelope-type-trailing-space', setAt(m, 'type', 'MESSAGE '));
  emit(4002, 'envelope-type-empty', setAt(m, 'type', ''));
  emit(4002, 'envelope-type-no-dots', setAt(m, 'type', 'x_custom_type'));
  emit(4002, 'envelope-type-custom-empty-label', setAt(m, 'type', 'com..example.custom_type'));
  emit(4002, 'envelope-type-custom-trailing-dot', setAt(m, 'type', 'com.example.custom_type.'));
  emit(4002, 'envelope-type-FOO-and-timestamp-missing', deleteAt(setAt(m, 'type', 'FOO'), 'timestamp'));
  emit(4002, 'envelope-type-FOO-and-payload-array', setAt(setAt(m, 'type', 'FOO'), 'payload', []));
  emit(4001, 'envelope-type-number', setAt(m, 'type', 9));
  emit(4001, 'envelope-type-array', setAt(m, 'type', ['MESSAGE']));
  // message_id
  emit(4001, 'envelope-message_id-empty', setAt(m, 'message_id', ''));
  emit(4001, 'envelope-message_id-257-bytes', setAt(m, 'message_id', 'm'.repeat(257)));
  emit(4001, 'envelope-message_id-257-bytes-multibyte', setAt(m, 'message_id', 'é'.repeat(128) + 'x'));
  emit(4001, 'envelope-message_id-number', setAt(m, 'message_id', 12345));
  // timestamp
  for (const [what, ts] of [['yesterday', 'yesterday'], ['without-Z', '2025-06-01T01:20:00'],
                            ['offset-instead-of-Z', '2025-06-01T01:20:00+00:00'], ['space-separator', '2025-06-01 01:20:00Z'],
                            ['month-13', '2025-13-01T01:20:00Z'],
                            ['empty-fraction', '2025-06-01T01:20:00.Z'],
                            ['date-only', '2025-06-01'], ['no-seconds', '2025-06-01T01:20Z'], ['empty', '']])
    emit(4001, `envelope-timestamp-${what}`, setAt(m, 'timestamp', ts));
  emit(4001, 'envelope-timestamp-number', setAt(m, 'timestamp', 1748740800));
  // from / to
  emit(4001, 'envelope-from-missing-device_id', deleteAt(m, 'from.device_id'));
  emit(4001, 'envelope-from-missing-user_id', deleteAt(m, 'from.user_id'));
  emit(4001, 'envelope-from-device_id-null', setAt(m, 'from.device_id', null));
  emit(4001, 'envelope-from-user_id-empty', setAt(m, 'from.user_id', ''));
  emit(4001, 'envelope-from-device_id-257-bytes', setAt(m, 'from.device_id', 'd'.repeat(257)));
  emit(4001, 'envelope-from-user_id-number', setAt(m, 'from.user_id', 42));
  emit(4001, 'envelope-from-display_name-wrong-type', setAt(m, 'from.display_name', { text: 'Alice' }));
  emit(4001, 'envelope-from-string', setAt(m, 'from', 'u-alice/d-alice-mobile'));
  emit(4001, 'envelope-to-string', setAt(m, 'to', 'u-bob'));
  emit(4001, 'envelope-to-array', setAt(m, 'to', ['u-bob']));
  emit(4001, 'envelope-to-user_id-number', setAt(m, 'to.user_id', 7));
  emit(4001, 'envelope-to-group_id-wrong-type', setAt(m, 'to', { user_id: 'u-bob', group_id: ['g-1'] }));
  // session_id
  emit(4001, 'envelope-session_id-number', setAt(m, 'session_id', 123));
  emit(4001, 'envelope-session_id-empty', setAt(m, 'session_id', ''));
  emit(4001, 'envelope-session_id-257-bytes', setAt(m, 'session_id', 's'.repeat(257)));
  // payload
  emit(4001, 'envelope-payload-array', setAt(m, 'payload', [m.payload]));
  emit(4001, 'envelope-payload-string', setAt(m, 'payload', 'Hello QSIP!'));
  emit(4001, 'envelope-payload-number', setAt(m, 'payload', 0));
  emit(4001, 'envelope-custom-type-payload-array', setAt(setAt(m, 'type', 'com.example.custom_type'), 'payload', []));
  emit(4001, 'envelope-custom-type-missing-from', deleteAt(setAt(m, 'type', 'com.example.custom_type'), 'from'));
  // session_id REQUIRED for the eight session types
  const sessionTypes = { INVITE: '05.03-INVITE.json', ACCEPT: '05.04-ACCEPT.json', REJECT: '05.05-REJECT.json',
    END: '05.06-END.json', SESSION: '05.07-SESSION-hold.json', CHANNEL_UPDATE: '05.08-CHANNEL_UPDATE.json',
    KEY_EXCHANGE: '05.23-KEY_EXCHANGE.json', MEDIA_UPDATE: '05.24-MEDIA_UPDATE.json' };
  for (const [type, file] of Object.entries(sessionTypes)) {
    emit(4001, `${type}-missing-session_id`, deleteAt(base(file), 'session_id'));
    emit(4001, `${type}-session_id-null`, setAt(base(file), 'session_id', null));
  }
}

// ---------------------------------------------------------------------------
// 7. Special files: invalid UTF-8, deep nesting, size limits.
// ---------------------------------------------------------------------------
{
  const text = readFileSync(join(validDir, '05.09-MESSAGE-text.json'));
  const marker = Buffer.from('Hello QSIP!');
  const at = text.indexOf(marker);
  const withBytes = (bytes, replace = 0) =>
    Buffer.concat([text.subarray(0, at), Buffer.from(bytes), text.subarray(at + replace)]);
  emitRaw('4001-utf8-invalid-byte-ff.bin', withBytes([0xff]));
  emitRaw('4001-utf8-lone-continuation-byte.bin', withBytes([0x80]));
  emitRaw('4001-utf8-overlong-slash.bin', withBytes([0xc0, 0xaf]));
  emitRaw('4001-utf8-overlong-nul.bin', withBytes([0xc0, 0x80]));
  emitRaw('4001-utf8-surrogate-d800.bin', withBytes([0xed, 0xa0, 0x80]));
  emitRaw('4001-utf8-above-u10ffff.bin', withBytes([0xf4, 0x90, 0x80, 0x80]));
  emitRaw('4001-utf8-truncated-sequence.bin', withBytes([0xe2, 0x82]));  // "€" missing its last byte
  emitRaw('4001-utf8-latin1-text.bin', withBytes([0x47, 0x72, 0xfc, 0xdf, 0x65], 5));  // "Grüße" in ISO-8859-1
  // Invalid UTF-8 is a well-formedness problem: found before qsip_version is read.
  const v2 = Buffer.from(text.toString('utf8').replace('"1.0"', '"2.0"'));
  const at2 = v2.indexOf(marker);
  emitRaw('4001-utf8-invalid-and-qsip_version-2.0.bin',
          Buffer.concat([v2.subarray(0, at2), Buffer.from([0xfe]), v2.subarray(at2)]));

  // A byte order mark: the wire carries JSON text without one (wire profile 2).
  emitRaw('4001-byte-order-mark.json', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), text]));

  // Nesting: 65 levels (one too many) and 10,000 levels of arrays inside a payload field.
  const nested = (depth) => {
    const head = '{"qsip_version":"1.0","message_id":"3f0c2a8e-0b7d-4f5e-9a61-2d4c8b7e1f00","timestamp":"2025-07-01T10:00:00Z",' +
      '"from":{"user_id":"u-alice","device_id":"d-alice-laptop"},"to":{"user_id":"u-bob"},"type":"MESSAGE",' +
      '"payload":{"message_type":"text","content":"x","extra":';
    return head + '['.repeat(depth - 2) + ']'.repeat(depth - 2) + '}}\n';  // message = 1, payload = 2
  };
  emitRaw('4001-nesting-depth-65.json', nested(65));
  emitRaw('4001-nesting-depth-10000.json', nested(10000));
  {
    // 10,000 levels of objects, the message otherwise fine.
    const head = '{"qsip_version":"1.0","message_id":"3f0c2a8e-0b7d-4f5e-9a61-2d4c8b7e1f01","timestamp":"2025-07-01T10:00:00Z",' +
      '"from":{"user_id":"u-alice","device_id":"d-alice-laptop"},"to":{"user_id":"u-bob"},"type":"MESSAGE",' +
      '"payload":{"message_type":"text","content":"x","extra":';
    emitRaw('4001-nesting-depth-10000-objects.json', head + '{"a":'.repeat(9998) + '1' + '}'.repeat(9998) + '}}\n');
  }
  // Unclosed deep nesting: 10,000 '[' and nothing else.
  emitRaw('4001-nesting-10000-unclosed.json', '['.repeat(10000) + '\n');

  // Size: > 65,536 bytes is 4004 whatever the content.
  const big = (fill) => {
    const head = '{"qsip_version":"1.0","message_id":"3f0c2a8e-0b7d-4f5e-9a61-2d4c8b7e1f02","timestamp":"2025-07-01T10:00:00Z",' +
      '"from":{"user_id":"u-alice","device_id":"d-alice-laptop"},"to":{"user_id":"u-bob"},"type":"MESSAGE",' +
      '"payload":{"message_type":"text","content":"';
    return head + fill + '"}}\n';
  };
  emitRaw('4004-string-1-MiB.json', big('a'.repeat(1 << 20)));
  {
    const head = big('');
    const text65537 = big(' '.repeat(65537 - Buffer.byteLength(head)));
    if (Buffer.byteLength(text65537) !== 65537) throw new Error('65537');
    emitRaw('4004-exactly-65537-bytes.json', text65537);
  }
  {
    // Too large wins over every other problem: an invalid message of 65,537+ bytes.
    const t = big('b'.repeat(70000)).replace('"1.0"', '"2.0"').replace('"MESSAGE"', '"FOO"');
    emitRaw('4004-too-large-and-qsip_version-2.0-and-type-unknown.json', t);
    emitRaw('4004-too-large-and-truncated.json', big('c'.repeat(70000)).slice(0, 69000));
    emitRaw('4004-too-large-invalid-utf8.bin',
            Buffer.concat([Buffer.from(big('d'.repeat(70000)).slice(0, 500)), Buffer.from([0xff]), Buffer.from(big('d'.repeat(70000)).slice(500))]));
  }
}

// ---------------------------------------------------------------------------
// Files of tests/corpus/invalid/ that this script does not write: hand-written
// ones, and the template of draft 4.1 (tools/corpus/extract-draft-examples.mjs).
const notGenerated = new Set([
  '4002-envelope-general-format-template.json',
  '4001-bad-escape.json', '4001-draft-example-comments-not-stripped.json', '4001-empty-file.json',
  '4001-hex-number.json', '4001-infinity-value.json', '4001-leading-zero-number.json', '4001-missing-colon.json',
  '4001-missing-comma.json', '4001-nan-value.json', '4001-not-object-array-empty.json',
  '4001-not-object-array-of-message.json', '4001-not-object-null.json', '4001-not-object-number.json',
  '4001-not-object-string.json', '4001-not-object-true.json', '4001-raw-newline-in-string.json',
  '4001-raw-tab-in-string.json', '4001-short-unicode-escape.json', '4001-single-quoted-strings.json',
  '4001-trailing-comma.json', '4001-trailing-garbage.json', '4001-true-misspelled.json',
  '4001-truncated-inside-string.json', '4001-truncated-json.json', '4001-truncated-missing-final-brace.json',
  '4001-two-objects.json', '4001-unescaped-quote-in-string.json', '4001-unquoted-key.json',
  '4001-whitespace-only.json',
]);

mkdirSync(outDir, { recursive: true });
let differ = 0;
// A file nobody accounts for is left over from an older version of this script.
for (const name of readdirSync(outDir))
  if (!out.has(name) && !notGenerated.has(name)) {
    console.error(`${check ? 'stale' : 'stale (remove it)'}: ${name}`);
    differ++;
  }
for (const name of notGenerated)
  if (!existsSync(join(outDir, name))) { console.error(`missing hand-written file: ${name}`); differ++; }
for (const [name, content] of out) {
  const path = join(outDir, name);
  if (check) {
    if (!existsSync(path) || !readFileSync(path).equals(content)) { console.error(`differs: ${name}`); differ++; }
  } else writeFileSync(path, content);
}
if (differ) process.exit(1);
const byCode = {};
for (const name of out.keys()) byCode[name.slice(0, 4)] = (byCode[name.slice(0, 4)] ?? 0) + 1;
console.log(`generate-invalid: ${out.size} files ${check ? 'checked' : 'written'} in tests/corpus/invalid`, byCode);
