// shm_native: the two things Node cannot do itself for the shared-memory KV path (packages/shm-native).
//   mapFd(fd, off, len, writable) -> ArrayBuffer over mmap(fd, [off, off + len)), MAP_SHARED; unmapped by unmap(ab)
//                                  (views become detached: length 0, never a dangling pointer) or by the GC.
//   unmap(ab)                   -> undefined; idempotent.
//   populate(ab, off, len, w)   -> maps pages into this process in one call (MADV_POPULATE_WRITE / _READ).
//   pageBytes                   -> this system's page size (sysconf(_SC_PAGESIZE)): mapFd offsets and populate align to it.
//   xxh32(bytes, seed)          -> XXH32 of a Uint8Array/Buffer (Yann Collet's XXH32, as packages/kv ships in TS).
//   copyXxh32(dst, src, seed)   -> copies src to dst and returns XXH32 of what dst now holds, in one pass; -1 when
//                                  the copy faulted (SIGBUS: a mapped file shrank under this process, see guard below).
//   copy(dst, src)              -> copies src to dst (same length); false when the copy faulted (SIGBUS).
//   xxh32Guarded(bytes, seed)   -> XXH32 of bytes read in place (no copy) under the same guard; -1 when reading faulted.
// Bounds are the caller's (JS) job: it maps only a segment of fixed size, and checks every extent against it.
#define NAPI_VERSION 8
#include <node_api.h>
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

// One mapping: the finalizer's hint. `unmapped` is set by unmap() before it detaches the buffer, so a
// finalizer that runs later (or during the detach) only frees this record.
typedef struct Mapping {
  void *addr;
  size_t length;
  int unmapped;
  // Set while napi_create_external_arraybuffer runs: Node calls the finalizer itself when it fails (a length over
  // its Buffer limit), and then the finalizer must only unmap, leaving the record to map_fd.
  int creating;
  int finalized;
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
    m->unmapped = 1;
  }
  if (m->creating) m->finalized = 1;
  else free(m);
}

static napi_value throw_error(napi_env env, const char *code, const char *message) {
  napi_throw_error(env, code, message);
  return NULL;
}

#define CHECK(call)                                                                                                    \
  do {                                                                                                                 \
    if ((call) != napi_ok) return throw_error(env, "ERR_SHM_NATIVE", "N-API call failed: " #call);                    \
  } while (0)

// This system's page size (4 KiB on x86-64; 16 or 64 KiB on some arm64 and ppc64 kernels), read once at load.
static uintptr_t page_bytes = 4096;

// mapFd(fd, offset, length, writable): offset a multiple of the page size.
static napi_value map_fd(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 4) return throw_error(env, "ERR_INVALID_ARG", "mapFd(fd, offset, length, writable): 4 arguments");
  int32_t fd;
  int64_t offset, length;
  bool writable;
  if (napi_get_value_int32(env, argv[0], &fd) != napi_ok || fd < 0)
    return throw_error(env, "ERR_INVALID_ARG", "mapFd: fd must be a non-negative integer");
  if (napi_get_value_int64(env, argv[1], &offset) != napi_ok || offset < 0 || (uint64_t)offset % page_bytes != 0) {
    char message[120];
    snprintf(message, sizeof message, "mapFd: offset must be a non-negative multiple of the page size, %lu bytes",
             (unsigned long)page_bytes);
    return throw_error(env, "ERR_INVALID_ARG", message);
  }
  if (napi_get_value_int64(env, argv[2], &length) != napi_ok || length <= 0)
    return throw_error(env, "ERR_INVALID_ARG", "mapFd: length must be a positive integer");
  if (napi_get_value_bool(env, argv[3], &writable) != napi_ok)
    return throw_error(env, "ERR_INVALID_ARG", "mapFd: writable must be a boolean");
  int prot = writable ? (PROT_READ | PROT_WRITE) : PROT_READ;
  void *addr = mmap(NULL, (size_t)length, prot, MAP_SHARED, fd, (off_t)offset);
  if (addr == MAP_FAILED) {
    char message[160];
    snprintf(message, sizeof message, "mmap of fd %d [%lld, +%lld) failed: %s", fd, (long long)offset,
             (long long)length, strerror(errno));
    return throw_error(env, "ERR_SHM_MAP", message);
  }
  Mapping *m = (Mapping *)calloc(1, sizeof(Mapping));
  if (m == NULL) {
    munmap(addr, (size_t)length);
    return throw_error(env, "ERR_SHM_MAP", "out of memory");
  }
  m->addr = addr;
  m->length = (size_t)length;
  m->creating = 1;
  napi_value ab;
  napi_status status = napi_create_external_arraybuffer(env, addr, (size_t)length, finalize_mapping, m, &ab);
  m->creating = 0;
  if (status != napi_ok) {
    if (!m->unmapped) munmap(addr, (size_t)length); // unless the finalizer already did
    free(m);
    return throw_error(env, "ERR_SHM_MAP", "napi_create_external_arraybuffer failed (over Node's buffer size limit?)");
  }
  if (m->finalized) { // cannot happen on success; never leave a dangling buffer
    free(m);
    return throw_error(env, "ERR_SHM_MAP", "the mapping was finalized while it was created");
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


// SIGBUS guard. A page of a MAP_SHARED mapping past the end of its file (another process shrank the file with
// ftruncate after this one mapped it) raises SIGBUS on access, which would kill the process. Copies through a mapping
// run guarded: `guard_jump` (per thread) points at a sigjmp_buf only while such a copy runs; the handler, installed
// once, jumps back to it and the copy reports failure. A SIGBUS anywhere else is not ours: the handler hands it to the
// action that was installed before it (calls it when it is a function; otherwise puts it back and returns, so the
// faulting instruction runs again and faults under the old action: the process dies as it did without this addon).
static __thread sigjmp_buf *guard_jump = NULL;
static struct sigaction previous_bus;
static int guard_ready = 0; // the handler is installed
static pthread_once_t guard_once = PTHREAD_ONCE_INIT;

static void on_sigbus(int sig, siginfo_t *info, void *context) {
  sigjmp_buf *jump = guard_jump;
  if (jump != NULL) {
    guard_jump = NULL;
    siglongjmp(*jump, 1); // SIGBUS stays blocked until guarded_copy unblocks it
  }
  if (previous_bus.sa_flags & SA_SIGINFO) {
    if (previous_bus.sa_sigaction != NULL) {
      previous_bus.sa_sigaction(sig, info, context);
      return;
    }
  } else if (previous_bus.sa_handler != SIG_DFL && previous_bus.sa_handler != SIG_IGN) {
    previous_bus.sa_handler(sig);
    return;
  }
  sigaction(SIGBUS, &previous_bus, NULL); // default: the fault repeats on return and ends the process as before
}

static void install_guard(void) {
  struct sigaction action;
  memset(&action, 0, sizeof action);
  action.sa_sigaction = on_sigbus;
  action.sa_flags = SA_SIGINFO;
  sigemptyset(&action.sa_mask);
  if (sigaction(SIGBUS, &action, &previous_bus) == 0) guard_ready = 1;
}

#ifndef MADV_POPULATE_READ
#define MADV_POPULATE_READ 22
#endif
#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

// populate(ab, offset, length, write): maps the pages of [offset, offset + length) into this process with one call
// (MADV_POPULATE_WRITE or _READ, Linux 5.14+) instead of one page fault per page as a copy touches them; the start is
// rounded down to this system's page (page_bytes: madvise refuses an address that is not page-aligned)
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
  uintptr_t start = ((uintptr_t)data + (uintptr_t)offset) & ~(page_bytes - 1);
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

static uint32_t merge_lanes(uint32_t v1, uint32_t v2, uint32_t v3, uint32_t v4) {
  return rotl32(v1, 1) + rotl32(v2, 7) + rotl32(v3, 12) + rotl32(v4, 18);
}

// The bytes after the last 16-byte stripe, and the avalanche.
static uint32_t xxh32_tail(uint32_t h, const uint8_t *p, const uint8_t *end) {
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
    h = merge_lanes(v1, v2, v3, v4);
  } else {
    h = seed + P5;
  }
  return xxh32_tail(h + (uint32_t)len, p, end);
}

// Copies src to dst and returns XXH32 of the bytes written, reading src once: each 16-byte stripe is loaded into
// registers, stored to dst and hashed from the registers, so the hash is of exactly what dst holds even when
// another process writes src meanwhile (a shared segment), and the copy and the check cost one pass.
static uint32_t copy_xxh32_bytes(uint8_t *dst, const uint8_t *src, size_t len, uint32_t seed) {
  size_t i = 0;
  uint32_t h;
  if (len >= 16) {
    uint32_t v1 = seed + P1 + P2, v2 = seed + P2, v3 = seed, v4 = seed - P1;
    for (; i + 16 <= len; i += 16) {
      __builtin_prefetch(src + i + 1024);
      uint8_t w[16];
      memcpy(w, src + i, 16);
      // src is shared memory another process may write: the store and the hash must both use this one load of it
      // (C assumes no other writer, so a compiler may read src again for either; gcc -O2 emits the same loop).
      __asm__ __volatile__("" : : : "memory");
      memcpy(dst + i, w, 16);
      v1 = round32(v1, read32(w));
      v2 = round32(v2, read32(w + 4));
      v3 = round32(v3, read32(w + 8));
      v4 = round32(v4, read32(w + 12));
    }
    h = merge_lanes(v1, v2, v3, v4);
  } else {
    h = seed + P5;
  }
  memcpy(dst + i, src + i, len - i);
  return xxh32_tail(h + (uint32_t)len, dst + i, dst + len);
}

// The copy itself, kept out of line: nothing it holds in registers is live after a jump back into guarded_copy.
// No dst: hash src in place, no copy.
static __attribute__((noinline)) void run_copy(uint8_t *dst, const uint8_t *src, size_t len, uint32_t seed,
                                               uint32_t *hash) {
  if (dst == NULL) *hash = xxh32_bytes(src, len, seed);
  else if (hash != NULL) *hash = copy_xxh32_bytes(dst, src, len, seed);
  else memcpy(dst, src, len);
}

// Copies src to dst (and hashes, when `hash` is not NULL; with dst NULL only hashes src, in place) under the SIGBUS
// guard: 1 when it completed, 0 when the copy faulted (dst then holds part of src), -1 when the handler could not be
// installed (nothing copied). Nested guarded copies keep the outer guard (restored on every path).
static int guarded_copy(uint8_t *dst, const uint8_t *src, size_t len, uint32_t seed, uint32_t *hash) {
  pthread_once(&guard_once, install_guard);
  if (!guard_ready) return -1; // no handler: the caller throws rather than copy unguarded
  sigjmp_buf jump;
  sigjmp_buf *volatile outer = guard_jump;
  // The signal mask is not saved (that would cost a system call per copy): after a jump, SIGBUS, blocked while the
  // handler ran, is unblocked here, so the next fault is caught again rather than ending the process.
  if (sigsetjmp(jump, 0) != 0) {
    guard_jump = outer;
    sigset_t bus;
    sigemptyset(&bus);
    sigaddset(&bus, SIGBUS);
    pthread_sigmask(SIG_UNBLOCK, &bus, NULL);
    return 0;
  }
  guard_jump = &jump;
  run_copy(dst, src, len, seed, hash);
  guard_jump = outer;
  return 1;
}

static bool uint8_array(napi_env env, napi_value value, uint8_t **data, size_t *length) {
  bool is_ta = false;
  napi_typedarray_type type;
  void *ptr = NULL;
  if (napi_is_typedarray(env, value, &is_ta) != napi_ok || !is_ta) return false;
  if (napi_get_typedarray_info(env, value, &type, length, &ptr, NULL, NULL) != napi_ok) return false;
  if (type != napi_uint8_array) return false;
  static uint8_t empty[1];
  *data = ptr == NULL ? empty : (uint8_t *)ptr;
  return true;
}

// copyXxh32(dst, src, seed) -> XXH32 of the bytes copied; dst and src of the same length.
static napi_value copy_xxh32(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  uint8_t *dst, *src;
  size_t dst_len, src_len;
  uint32_t seed = 0;
  if (argc < 3 || !uint8_array(env, argv[0], &dst, &dst_len) || !uint8_array(env, argv[1], &src, &src_len) ||
      napi_get_value_uint32(env, argv[2], &seed) != napi_ok)
    return throw_error(env, "ERR_INVALID_ARG", "copyXxh32(dst, src, seed): two Uint8Arrays and a uint32");
  if (dst_len != src_len) return throw_error(env, "ERR_INVALID_ARG", "copyXxh32: dst and src differ in length");
  uint32_t hash = 0;
  int rc = guarded_copy(dst, src, src_len, seed, &hash);
  if (rc < 0) return throw_error(env, "ERR_SHM_GUARD", "copyXxh32: the SIGBUS handler could not be installed");
  napi_value out;
  if (rc == 0) CHECK(napi_create_int32(env, -1, &out));
  else CHECK(napi_create_uint32(env, hash, &out));
  return out;
}

// xxh32Guarded(bytes, seed) -> XXH32 of bytes (a view of a mapping) read in place under the SIGBUS guard; -1 when
// reading them faulted (a mapped file shrank under this process).
static napi_value xxh32_guarded(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  uint8_t *src;
  size_t len;
  uint32_t seed = 0;
  if (argc < 2 || !uint8_array(env, argv[0], &src, &len) || napi_get_value_uint32(env, argv[1], &seed) != napi_ok)
    return throw_error(env, "ERR_INVALID_ARG", "xxh32Guarded(bytes, seed): a Uint8Array and a uint32");
  uint32_t hash = 0;
  int rc = guarded_copy(NULL, src, len, seed, &hash);
  if (rc < 0) return throw_error(env, "ERR_SHM_GUARD", "xxh32Guarded: the SIGBUS handler could not be installed");
  napi_value out;
  if (rc == 0) CHECK(napi_create_int32(env, -1, &out));
  else CHECK(napi_create_uint32(env, hash, &out));
  return out;
}

// copy(dst, src) -> true when src (same length) was copied to dst, false when the copy faulted (SIGBUS).
static napi_value copy(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  uint8_t *dst, *src;
  size_t dst_len, src_len;
  if (argc < 2 || !uint8_array(env, argv[0], &dst, &dst_len) || !uint8_array(env, argv[1], &src, &src_len))
    return throw_error(env, "ERR_INVALID_ARG", "copy(dst, src): two Uint8Arrays");
  if (dst_len != src_len) return throw_error(env, "ERR_INVALID_ARG", "copy: dst and src differ in length");
  int rc = guarded_copy(dst, src, src_len, 0, NULL);
  if (rc < 0) return throw_error(env, "ERR_SHM_GUARD", "copy: the SIGBUS handler could not be installed");
  napi_value out;
  CHECK(napi_get_boolean(env, rc == 1, &out));
  return out;
}

static napi_value xxh32(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  uint8_t *data;
  size_t length;
  if (argc < 1 || !uint8_array(env, argv[0], &data, &length))
    return throw_error(env, "ERR_INVALID_ARG", "xxh32(bytes, seed): bytes must be a Uint8Array");
  uint32_t seed = 0;
  if (argc >= 2 && napi_get_value_uint32(env, argv[1], &seed) != napi_ok)
    return throw_error(env, "ERR_INVALID_ARG", "xxh32(bytes, seed): seed must be a uint32");
  napi_value out;
  CHECK(napi_create_uint32(env, xxh32_bytes(data, length, seed), &out));
  return out;
}

NAPI_MODULE_INIT() {
  long sys_page = sysconf(_SC_PAGESIZE);
  if (sys_page > 0 && (sys_page & (sys_page - 1)) == 0) page_bytes = (uintptr_t)sys_page;
  napi_value page_value;
  if (napi_create_double(env, (double)page_bytes, &page_value) != napi_ok) return NULL;
  napi_property_descriptor props[] = {
      {"pageBytes", NULL, NULL, NULL, NULL, page_value, napi_enumerable, NULL},
      {"mapFd", NULL, map_fd, NULL, NULL, NULL, napi_enumerable, NULL},
      {"unmap", NULL, unmap, NULL, NULL, NULL, napi_enumerable, NULL},
      {"populate", NULL, populate, NULL, NULL, NULL, napi_enumerable, NULL},
      {"copy", NULL, copy, NULL, NULL, NULL, napi_enumerable, NULL},
      {"copyXxh32", NULL, copy_xxh32, NULL, NULL, NULL, napi_enumerable, NULL},
      {"xxh32", NULL, xxh32, NULL, NULL, NULL, napi_enumerable, NULL},
      {"xxh32Guarded", NULL, xxh32_guarded, NULL, NULL, NULL, napi_enumerable, NULL},
  };
  if (napi_define_properties(env, exports, sizeof props / sizeof props[0], props) != napi_ok) return NULL;
  return exports;
}
