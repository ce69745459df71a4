// PageAllocator: the ngtcp2_mem that keeps untouched parts of ngtcp2's big
// blocks out of resident memory.
#include "quic/page_allocator.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstring>
#include <vector>

namespace qsip::quic {
namespace {

size_t page_size() { return static_cast<size_t>(::sysconf(_SC_PAGESIZE)); }

TEST(PageAllocator, SmallRequestsGoToMalloc) {
  PageAllocator pool;
  const ngtcp2_mem* mem = pool.mem();
  void* p = mem->malloc(100, mem->user_data);
  ASSERT_NE(p, nullptr);
  std::memset(p, 1, 100);
  EXPECT_EQ(pool.region_used(), 0u);
  p = mem->realloc(p, 200, mem->user_data);
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(static_cast<unsigned char*>(p)[99], 1);
  mem->free(p, mem->user_data);
  mem->free(nullptr, mem->user_data);
}

TEST(PageAllocator, LargeRunsAreWholePagesAndReused) {
  PageAllocator pool;
  const ngtcp2_mem* mem = pool.mem();
  const size_t size = 2 * page_size() + 100;  // needs 3 pages with the header
  auto* p = static_cast<unsigned char*>(mem->malloc(size, mem->user_data));
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(p) % 16, 0u);
  EXPECT_EQ(pool.region_used(), 3 * page_size());
  std::memset(p, 0xab, size);
  mem->free(p, mem->user_data);
  // The freed run comes back, zeroed past its first page, for calloc.
  auto* q = static_cast<unsigned char*>(mem->calloc(1, size, mem->user_data));
  EXPECT_EQ(q, p);
  EXPECT_EQ(pool.region_used(), 3 * page_size());
  const std::vector<unsigned char> zeros(size, 0);
  EXPECT_EQ(std::memcmp(q, zeros.data(), size), 0);
  mem->free(q, mem->user_data);
}

TEST(PageAllocator, ReallocKeepsContents) {
  PageAllocator pool;
  const ngtcp2_mem* mem = pool.mem();
  const size_t size = 3 * page_size();
  auto* p = static_cast<unsigned char*>(mem->malloc(size, mem->user_data));
  ASSERT_NE(p, nullptr);
  for (size_t i = 0; i < size; ++i) p[i] = static_cast<unsigned char>(i);
  auto* q = static_cast<unsigned char*>(mem->realloc(p, 3 * size, mem->user_data));
  ASSERT_NE(q, nullptr);
  for (size_t i = 0; i < size; ++i) ASSERT_EQ(q[i], static_cast<unsigned char>(i)) << i;
  // Shrinking stays in place.
  EXPECT_EQ(mem->realloc(q, size, mem->user_data), q);
  mem->free(q, mem->user_data);
}

TEST(PageAllocator, WithoutARegionEverythingGoesToMalloc) {
  PageAllocator pool(size_t{1} << 62);  // cannot be reserved
  const ngtcp2_mem* mem = pool.mem();
  void* p = mem->calloc(4, page_size(), mem->user_data);
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(pool.region_used(), 0u);
  mem->free(p, mem->user_data);
}

}  // namespace
}  // namespace qsip::quic
