#include "quic/page_allocator.hpp"

#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <limits>

namespace qsip::quic {
namespace {

// Each pooled run starts with this header (16 bytes, so the block handed
// out keeps malloc's 16-byte alignment): how many pages the run has.
struct RunHeader {
  size_t pages;
  size_t reserved;
};
constexpr size_t kHeader = sizeof(RunHeader);
static_assert(kHeader == 16);

}  // namespace

PageAllocator::PageAllocator(size_t reserve_bytes) {
  const long page = ::sysconf(_SC_PAGESIZE);
  if (page > 0) page_ = static_cast<size_t>(page);
  // MAP_NORESERVE: address space only; pages become memory when written.
  void* region = ::mmap(nullptr, reserve_bytes, PROT_READ | PROT_WRITE,
                        MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (region != MAP_FAILED) {
    base_ = static_cast<uint8_t*>(region);
    next_ = base_;
    end_ = base_ + reserve_bytes;
  }
  mem_.user_data = this;
  mem_.malloc = &PageAllocator::mem_malloc;
  mem_.free = &PageAllocator::mem_free;
  mem_.calloc = &PageAllocator::mem_calloc;
  mem_.realloc = &PageAllocator::mem_realloc;
}

PageAllocator::~PageAllocator() {
  if (base_ != nullptr) ::munmap(base_, static_cast<size_t>(end_ - base_));
}

void* PageAllocator::allocate(size_t size) {
  const size_t pages = (size + kHeader + page_ - 1) / page_;
  // One page or less gains nothing over malloc (the page is written anyway).
  if (base_ == nullptr || pages < 2 || pages > kMaxPages ||
      size > std::numeric_limits<size_t>::max() / 2) {
    return std::malloc(size);
  }
  uint8_t* run = nullptr;
  if (FreeRun* f = free_[pages]) {
    free_[pages] = f->next;
    run = reinterpret_cast<uint8_t*>(f);
  } else if (static_cast<size_t>(end_ - next_) >= pages * page_) {
    run = next_;
    next_ += pages * page_;
  } else {
    return std::malloc(size);
  }
  auto* hd = reinterpret_cast<RunHeader*>(run);
  hd->pages = pages;
  return run + kHeader;
}

void PageAllocator::release(void* ptr) {
  if (ptr == nullptr) return;
  if (!owns(ptr)) {
    std::free(ptr);
    return;
  }
  uint8_t* run = static_cast<uint8_t*>(ptr) - kHeader;
  const size_t pages = reinterpret_cast<RunHeader*>(run)->pages;
  // Give back all but the first page (which holds the free-list link and is
  // written again on reuse anyway); the next user then pays only for the
  // pages it writes.
  ::madvise(run + page_, (pages - 1) * page_, MADV_DONTNEED);
  auto* f = reinterpret_cast<FreeRun*>(run);
  f->next = free_[pages];
  free_[pages] = f;
}

void* PageAllocator::reallocate(void* ptr, size_t size) {
  if (ptr == nullptr) return allocate(size);
  // A block from malloc stays with malloc (ngtcp2 reallocs only small
  // arrays; its big blocks are never resized).
  if (!owns(ptr)) return std::realloc(ptr, size);
  uint8_t* run = static_cast<uint8_t*>(ptr) - kHeader;
  const size_t capacity = reinterpret_cast<RunHeader*>(run)->pages * page_ - kHeader;
  if (size <= capacity) return ptr;
  void* fresh = allocate(size);
  if (fresh == nullptr) return nullptr;
  std::memcpy(fresh, ptr, capacity);
  release(ptr);
  return fresh;
}

void* PageAllocator::mem_malloc(size_t size, void* user_data) {
  return static_cast<PageAllocator*>(user_data)->allocate(size);
}

void PageAllocator::mem_free(void* ptr, void* user_data) {
  static_cast<PageAllocator*>(user_data)->release(ptr);
}

void* PageAllocator::mem_calloc(size_t nmemb, size_t size, void* user_data) {
  if (size != 0 && nmemb > std::numeric_limits<size_t>::max() / size) return nullptr;
  auto* self = static_cast<PageAllocator*>(user_data);
  const size_t n = nmemb * size;
  void* p = self->allocate(n);
  if (p == nullptr) return nullptr;
  if (!self->owns(p)) {
    std::memset(p, 0, n);
    return p;
  }
  // A pooled run reads as zero past its first page (never written, or
  // given back with MADV_DONTNEED), so only the first page needs clearing:
  // the rest stays untouched, and not resident, until ngtcp2 writes it.
  std::memset(p, 0, std::min(n, self->page_ - kHeader));
  return p;
}

void* PageAllocator::mem_realloc(void* ptr, size_t size, void* user_data) {
  return static_cast<PageAllocator*>(user_data)->reallocate(ptr, size);
}

}  // namespace qsip::quic
