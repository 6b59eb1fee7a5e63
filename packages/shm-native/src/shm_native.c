// shm_native: the two things Node cannot do itself for the shared-memory KV path (packages/shm-native).
//   mapFd(fd, length, writable) -> ArrayBuffer over mmap(fd, [0, length)), MAP_SHARED; unmapped by unmap(ab)
//                                  (views become detached: length 0, never a dangling pointer) or by the GC.
//   unmap(ab)                   -> undefined; idempotent.
//   xxh32(bytes, seed)          -> XXH32 of a Uint8Array/Buffer (Yann Collet's XXH32, as packages/kv ships in TS).
// Bounds are the caller's (JS) job: it maps only a segment of fixed size, and checks every extent against it.
#define NAPI_VERSION 8
#include <node_api.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

// One mapping: the finalizer's hint. `unmapped` is set by unmap() before it detaches the buffer, so a
// finalizer that runs later (or during the detach) only frees this record.
typedef struct Mapping {
  void *addr;
  size_t length;
  int unmapped;
  struct Mapping *next;
} Mapping;

static Mapping *live = NULL; // mappings not yet unmapped (touched on the JS thread only)

static void unlink_mapping(Mapping *m) {
  for (Mapping **p = &live; *p != NULL; p = &(*p)->next) {
    if (*p == m) {
      *p = m->next;
      return;
    }
  }
}

static void finalize_mapping(napi_env env, void *data, void *hint) {
  (void)env;
  (void)data;
  Mapping *m = (Mapping *)hint;
  if (!m->unmapped) {
    unlink_mapping(m);
    munmap(m->addr, m->length);
  }
  free(m);
}

static napi_value throw_error(napi_env env, const char *code, const char *message) {
  napi_throw_error(env, code, message);
  return NULL;
}

#define CHECK(call)                                                                                                    \
  do {                                                                                                                 \
    if ((call) != napi_ok) return throw_error(env, "ERR_SHM_NATIVE", "N-API call failed: " #call);                    \
  } while (0)

static napi_value map_fd(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 3) return throw_error(env, "ERR_INVALID_ARG", "mapFd(fd, length, writable): 3 arguments");
  int32_t fd;
  int64_t length;
  bool writable;
  if (napi_get_value_int32(env, argv[0], &fd) != napi_ok || fd < 0)
    return throw_error(env, "ERR_INVALID_ARG", "mapFd: fd must be a non-negative integer");
  if (napi_get_value_int64(env, argv[1], &length) != napi_ok || length <= 0)
    return throw_error(env, "ERR_INVALID_ARG", "mapFd: length must be a positive integer");
  if (napi_get_value_bool(env, argv[2], &writable) != napi_ok)
    return throw_error(env, "ERR_INVALID_ARG", "mapFd: writable must be a boolean");
  int prot = writable ? (PROT_READ | PROT_WRITE) : PROT_READ;
  void *addr = mmap(NULL, (size_t)length, prot, MAP_SHARED, fd, 0);
  if (addr == MAP_FAILED) {
    char message[128];
    snprintf(message, sizeof message, "mmap of fd %d (%lld bytes) failed: %s", fd, (long long)length, strerror(errno));
    return throw_error(env, "ERR_SHM_MAP", message);
  }
  Mapping *m = (Mapping *)calloc(1, sizeof(Mapping));
  if (m == NULL) {
    munmap(addr, (size_t)length);
    return throw_error(env, "ERR_SHM_MAP", "out of memory");
  }
  m->addr = addr;
  m->length = (size_t)length;
  napi_value ab;
  if (napi_create_external_arraybuffer(env, addr, (size_t)length, finalize_mapping, m, &ab) != napi_ok) {
    munmap(addr, (size_t)length);
    free(m);
    return throw_error(env, "ERR_SHM_MAP", "napi_create_external_arraybuffer failed");
  }
  m->next = live;
  live = m;
  return ab;
}

static napi_value unmap(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  bool is_ab = false;
  if (argc < 1 || napi_is_arraybuffer(env, argv[0], &is_ab) != napi_ok || !is_ab)
    return throw_error(env, "ERR_INVALID_ARG", "unmap(arrayBuffer): an ArrayBuffer from mapFd");
  void *data = NULL;
  size_t length = 0;
  CHECK(napi_get_arraybuffer_info(env, argv[0], &data, &length));
  Mapping *m = NULL;
  for (Mapping *p = live; p != NULL; p = p->next) {
    if (p->addr == data && p->length == length) {
      m = p;
      break;
    }
  }
  napi_value undefined;
  CHECK(napi_get_undefined(env, &undefined));
  if (m == NULL) return undefined; // already unmapped (detached: data NULL), or not ours
  void *addr = m->addr;
  size_t len = m->length;
  m->unmapped = 1;
  unlink_mapping(m);
  // Detach first: every view of it now has length 0, so no JS can reach the pages after munmap.
  CHECK(napi_detach_arraybuffer(env, argv[0]));
  munmap(addr, len);
  return undefined;
}

#ifndef MADV_POPULATE_READ
#define MADV_POPULATE_READ 22
#endif
#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

// populate(ab, offset, length, write): maps the pages of [offset, offset + length) into this process with one call
// (MADV_POPULATE_WRITE or _READ, Linux 5.14+) instead of one page fault per 4 KiB page as a copy touches them
// (measured here: a 256 KiB copy into resident pages 0.43 ns/B faulting, 0.20 populated first, 0.10 once mapped).
// Returns false when the kernel refuses (older than 5.14): the copy then faults the pages in itself.
static napi_value populate(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  bool is_ab = false, write = false;
  if (argc < 4 || napi_is_arraybuffer(env, argv[0], &is_ab) != napi_ok || !is_ab ||
      napi_get_value_bool(env, argv[3], &write) != napi_ok)
    return throw_error(env, "ERR_INVALID_ARG", "populate(arrayBuffer, offset, length, write)");
  void *data = NULL;
  size_t size = 0;
  int64_t offset, length;
  CHECK(napi_get_arraybuffer_info(env, argv[0], &data, &size));
  if (napi_get_value_int64(env, argv[1], &offset) != napi_ok || napi_get_value_int64(env, argv[2], &length) != napi_ok ||
      offset < 0 || length < 0 || (uint64_t)offset + (uint64_t)length > size)
    return throw_error(env, "ERR_OUT_OF_RANGE", "populate: [offset, offset + length) is outside the mapping");
  uintptr_t page = 4096;
  uintptr_t start = ((uintptr_t)data + (uintptr_t)offset) & ~(page - 1);
  uintptr_t end = (uintptr_t)data + (uintptr_t)offset + (uintptr_t)length;
  int rc = length == 0 ? 0 : madvise((void *)start, end - start, write ? MADV_POPULATE_WRITE : MADV_POPULATE_READ);
  napi_value out;
  CHECK(napi_get_boolean(env, rc == 0, &out));
  return out;
}

// XXH32 (Yann Collet, BSD-2-Clause), little-endian reads through memcpy (any alignment).
static const uint32_t P1 = 0x9E3779B1U, P2 = 0x85EBCA77U, P3 = 0xC2B2AE3DU, P4 = 0x27D4EB2FU, P5 = 0x165667B1U;
static inline uint32_t rotl32(uint32_t x, int r) { return (x << r) | (x >> (32 - r)); }
static inline uint32_t read32(const uint8_t *p) {
  uint32_t v;
  memcpy(&v, p, 4);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
  v = __builtin_bswap32(v);
#endif
  return v;
}
static inline uint32_t round32(uint32_t acc, uint32_t input) { return rotl32(acc + input * P2, 13) * P1; }

static uint32_t xxh32_bytes(const uint8_t *p, size_t len, uint32_t seed) {
  const uint8_t *end = p + len;
  uint32_t h;
  if (len >= 16) {
    const uint8_t *limit = end - 16;
    uint32_t v1 = seed + P1 + P2, v2 = seed + P2, v3 = seed, v4 = seed - P1;
    do {
      __builtin_prefetch(p + 1024); // ≈ 3× faster on memory out of cache here (0.50 → 0.17 ns/B, 256 KiB blocks)
      v1 = round32(v1, read32(p));
      v2 = round32(v2, read32(p + 4));
      v3 = round32(v3, read32(p + 8));
      v4 = round32(v4, read32(p + 12));
      p += 16;
    } while (p <= limit);
    h = rotl32(v1, 1) + rotl32(v2, 7) + rotl32(v3, 12) + rotl32(v4, 18);
  } else {
    h = seed + P5;
  }
  h += (uint32_t)len;
  while (p + 4 <= end) {
    h = rotl32(h + read32(p) * P3, 17) * P4;
    p += 4;
  }
  while (p < end) {
    h = rotl32(h + (*p) * P5, 11) * P1;
    p++;
  }
  h ^= h >> 15;
  h *= P2;
  h ^= h >> 13;
  h *= P3;
  h ^= h >> 16;
  return h;
}

static napi_value xxh32(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  bool is_ta = false;
  if (argc < 1 || napi_is_typedarray(env, argv[0], &is_ta) != napi_ok || !is_ta)
    return throw_error(env, "ERR_INVALID_ARG", "xxh32(bytes, seed): bytes must be a Uint8Array");
  napi_typedarray_type type;
  size_t length;
  void *data;
  CHECK(napi_get_typedarray_info(env, argv[0], &type, &length, &data, NULL, NULL));
  if (type != napi_uint8_array)
    return throw_error(env, "ERR_INVALID_ARG", "xxh32(bytes, seed): bytes must be a Uint8Array");
  uint32_t seed = 0;
  if (argc >= 2 && napi_get_value_uint32(env, argv[1], &seed) != napi_ok)
    return throw_error(env, "ERR_INVALID_ARG", "xxh32(bytes, seed): seed must be a uint32");
  napi_value out;
  CHECK(napi_create_uint32(env, length == 0 ? xxh32_bytes((const uint8_t *)"", 0, seed)
                                            : xxh32_bytes((const uint8_t *)data, length, seed),
                           &out));
  return out;
}

NAPI_MODULE_INIT() {
  napi_property_descriptor props[] = {
      {"mapFd", NULL, map_fd, NULL, NULL, NULL, napi_enumerable, NULL},
      {"unmap", NULL, unmap, NULL, NULL, NULL, napi_enumerable, NULL},
      {"populate", NULL, populate, NULL, NULL, NULL, napi_enumerable, NULL},
      {"xxh32", NULL, xxh32, NULL, NULL, NULL, napi_enumerable, NULL},
  };
  if (napi_define_properties(env, exports, sizeof props / sizeof props[0], props) != napi_ok) return NULL;
  return exports;
}
