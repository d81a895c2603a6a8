// ISA-L (libisal-dev): raw deflate streaming with the CRC-32 of the output computed in the same pass.
// Small inline wrappers so Swift never copies the large `inflate_state` struct by value.
#include <stdint.h>
#include <stdlib.h>
#include <isa-l/crc.h>
#include <isa-l/igzip_lib.h>

/// A raw-deflate decoder whose `crc` field tracks the gzip CRC-32 (the zip CRC) of the output.
static inline struct inflate_state *pw_isal_new(void) {
    struct inflate_state *state = malloc(sizeof *state);
    if (state) {
        isal_inflate_init(state);
        state->crc_flag = ISAL_GZIP_NO_HDR;
    }
    return state;
}

static inline void pw_isal_reset(struct inflate_state *state) {
    isal_inflate_reset(state);
    state->crc_flag = ISAL_GZIP_NO_HDR;
    state->crc = 0;
}

/// One step: returns 1 when the deflate stream has ended, 0 to go on, a negative ISA-L error otherwise.
static inline int pw_isal_inflate(struct inflate_state *state, const uint8_t *in, uint32_t in_count, uint8_t *out,
                                  uint32_t out_count, uint32_t *consumed, uint32_t *produced) {
    state->next_in = (uint8_t *)in;
    state->avail_in = in_count;
    state->next_out = out;
    state->avail_out = out_count;
    int status = isal_inflate(state);
    *consumed = in_count - state->avail_in;
    *produced = out_count - state->avail_out;
    if (status < 0) return status;
    return state->block_state == ISAL_BLOCK_FINISH ? 1 : 0;
}

static inline uint32_t pw_isal_crc(const struct inflate_state *state) { return state->crc; }

static inline uint32_t pw_isal_crc32(uint32_t crc, const uint8_t *bytes, uint64_t count) {
    return crc32_gzip_refl(crc, bytes, count);
}
