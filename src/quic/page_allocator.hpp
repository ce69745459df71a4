// An ngtcp2_mem for server connections that keeps the untouched parts of
// ngtcp2's large allocations out of resident memory.
//
// ngtcp2 0.12 carves small objects out of big blocks it allocates up front
// (each skip list takes its node blocks eight at a time, the frame and
// retransmission-entry pools 64 entries at a time): 4 to 12 KiB each, about
// ten per connection, and an idle connection writes only their beginning. From malloc every
// such block soon becomes resident in full (the heap reuses dirty memory).
// Here a request of two pages or more gets whole pages from a reserved,
// never-touched virtual region, so only the pages ngtcp2 writes cost RAM;
// freed runs are returned to the kernel (all but their first page) before
// reuse. Smaller requests go to malloc.
//
// Not thread-safe: one allocator per worker, used only on its thread.
#pragma once

#include <ngtcp2/ngtcp2.h>

#include <array>
#include <cstddef>
#include <cstdint>

namespace qsip::quic {

class PageAllocator {
 public:
  // Reserves `reserve_bytes` of address space (no memory is committed).
  // When the reservation fails every request goes to malloc.
  explicit PageAllocator(size_t reserve_bytes = size_t{64} << 30);
  ~PageAllocator();
  PageAllocator(const PageAllocator&) = delete;
  PageAllocator& operator=(const PageAllocator&) = delete;

  // The ngtcp2_mem to pass to ngtcp2_conn_server_new; valid as long as this
  // object, which must outlive every connection created with it.
  const ngtcp2_mem* mem() const { return &mem_; }

  // Bytes of the region handed out so far (address space, not RAM).
  size_t region_used() const { return next_ - base_; }

 private:
  // Runs of up to kMaxPages pages are pooled; larger requests use malloc.
  static constexpr size_t kMaxPages = 32;
  struct FreeRun {
    FreeRun* next;
  };

  void* allocate(size_t size);
  void release(void* ptr);
  void* reallocate(void* ptr, size_t size);
  bool owns(const void* ptr) const {
    const auto* p = static_cast<const uint8_t*>(ptr);
    return p >= base_ && p < next_;
  }

  static void* mem_malloc(size_t size, void* user_data);
  static void mem_free(void* ptr, void* user_data);
  static void* mem_calloc(size_t nmemb, size_t size, void* user_data);
  static void* mem_realloc(void* ptr, size_t size, void* user_data);

  ngtcp2_mem mem_{};
  size_t page_ = 4096;
  uint8_t* base_ = nullptr;  // reserved region; nullptr = malloc only
  uint8_t* next_ = nullptr;  // first never-used byte of the region
  uint8_t* end_ = nullptr;
  std::array<FreeRun*, kMaxPages + 1> free_{};  // free runs by page count
};

}  // namespace qsip::quic
