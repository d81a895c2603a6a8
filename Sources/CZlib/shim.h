// zlib: the raw-deflate fallback where ISA-L is not installed. `inflateInit2` is a macro, so it is wrapped.
#include <stdint.h>
#include <stdlib.h>
#include <zlib.h>

static inline z_stream *pw_zlib_new(void) {
    z_stream *stream = calloc(1, sizeof *stream);
    if (stream && inflateInit2(stream, -15) != Z_OK) {
        free(stream);
        return NULL;
    }
    return stream;
}

static inline void pw_zlib_reset(z_stream *stream) { inflateReset(stream); }

static inline void pw_zlib_free(z_stream *stream) {
    inflateEnd(stream);
    free(stream);
}

/// One step: returns 1 when the deflate stream has ended, 0 to go on, a negative zlib error otherwise.
static inline int pw_zlib_inflate(z_stream *stream, const uint8_t *in, uint32_t in_count, uint8_t *out, uint32_t out_count,
                                  uint32_t *consumed, uint32_t *produced) {
    stream->next_in = (Bytef *)in;
    stream->avail_in = in_count;
    stream->next_out = out;
    stream->avail_out = out_count;
    int status = inflate(stream, Z_NO_FLUSH);
    *consumed = in_count - stream->avail_in;
    *produced = out_count - stream->avail_out;
    if (status == Z_STREAM_END) return 1;
    if (status == Z_OK || status == Z_BUF_ERROR) return 0;
    return status > 0 ? -100 - status : status;  // Z_NEED_DICT (2) is an error for a zip entry
}

static inline uint32_t pw_zlib_crc32(uint32_t crc, const uint8_t *bytes, uint64_t count) {
    // zlib's crc32 takes a uInt length; feed it in pieces.
    while (count > 0) {
        uInt piece = count > (1u << 30) ? (1u << 30) : (uInt)count;
        crc = (uint32_t)crc32(crc, bytes, piece);
        bytes += piece;
        count -= piece;
    }
    return crc;
}
