// Floors for `purewheel check` in C, the fastest way this machine has to do the work: ISA-L inflate (CRC-32 in the
// same pass) and OpenSSL SHA-256, one thread, the file mapped into memory (no copy).
//
//   floor verify WHEEL    inflate and SHA-256 every entry: the one-core floor of verifying RECORD; half of it is
//                         the two-core floor, if no entry takes longer than that alone
//   floor largest WHEEL   inflate the largest entry only: no split of the work over threads gets below this, since
//                         one deflate stream is decoded in order
//   floor files LIST N    read and SHA-256 every file LIST names (one path per line) on N threads, each file
//                         `open`, `read` in 1 MiB chunks, `close`: the floor of `verify-env`, which also compares
//                         sizes and digests with RECORD and walks the tree
//
// Reads the central directory (ZIP64 included) and nothing else of the zip structure: the inputs are the bench's
// own, known-good wheels. The bench times the whole process, as it times every tool.
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <isa-l/igzip_lib.h>
#include <openssl/evp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

enum { CHUNK = 1 << 20 };

static const uint8_t *file_bytes;
static size_t file_size;

static uint64_t le(const uint8_t *p, int n) {
    uint64_t v = 0;
    for (int i = n - 1; i >= 0; i--) v = v << 8 | p[i];
    return v;
}

static void fail(const char *why) {
    fprintf(stderr, "floor: %s\n", why);
    exit(1);
}

struct entry {
    uint64_t compressed, uncompressed, data;
    uint32_t crc;
    int method;
};

// Every entry of the central directory, with the offset of its data.
static struct entry *entries(size_t *count) {
    if (file_size < 22) fail("not a zip");
    size_t end = file_size - 22;
    while (le(file_bytes + end, 4) != 0x06054b50) {
        if (end == 0 || file_size - end > 65557) fail("no end of central directory");
        end--;
    }
    uint64_t n = le(file_bytes + end + 10, 2), directory = le(file_bytes + end + 16, 4);
    if (end >= 20 && le(file_bytes + end - 20, 4) == 0x07064b50) {
        const uint8_t *zip64 = file_bytes + le(file_bytes + end - 12, 8);
        n = le(zip64 + 32, 8);
        directory = le(zip64 + 48, 8);
    }
    struct entry *list = calloc(n ? n : 1, sizeof *list);
    const uint8_t *record = file_bytes + directory;
    for (uint64_t i = 0; i < n; i++) {
        if (le(record, 4) != 0x02014b50) fail("bad central directory record");
        uint64_t compressed = le(record + 20, 4), uncompressed = le(record + 24, 4), local = le(record + 42, 4);
        size_t name = le(record + 28, 2), extra = le(record + 30, 2), comment = le(record + 32, 2);
        // ZIP64 extra field: the 8-byte values present are those whose 4-byte field is all ones, in this order.
        for (const uint8_t *field = record + 46 + name; field + 4 <= record + 46 + name + extra;
             field += 4 + le(field + 2, 2)) {
            if (le(field, 2) != 1) continue;
            const uint8_t *value = field + 4;
            if (uncompressed == 0xFFFFFFFF) uncompressed = le(value, 8), value += 8;
            if (compressed == 0xFFFFFFFF) compressed = le(value, 8), value += 8;
            if (local == 0xFFFFFFFF) local = le(value, 8);
        }
        const uint8_t *header = file_bytes + local;
        list[i] = (struct entry){compressed, uncompressed, local + 30 + le(header + 26, 2) + le(header + 28, 2),
                                 (uint32_t)le(record + 16, 4), (int)le(record + 10, 2)};
        record += 46 + name + extra + comment;
    }
    *count = n;
    return list;
}

static uint8_t output[CHUNK];

// Inflates one entry (stored entries are only read), hashing the output when `hash` is set.
static void verify(const struct entry *e, int hash) {
    EVP_MD_CTX *digest = EVP_MD_CTX_new();
    EVP_DigestInit_ex(digest, EVP_sha256(), NULL);
    const uint8_t *data = file_bytes + e->data;
    if (e->method == 8) {
        struct inflate_state state;
        isal_inflate_init(&state);
        state.crc_flag = ISAL_GZIP_NO_HDR;  // raw deflate, with the zip CRC-32 of the output
        state.next_in = (uint8_t *)data;
        state.avail_in = e->compressed;
        do {
            state.next_out = output;
            state.avail_out = CHUNK;
            if (isal_inflate(&state) < 0) fail("inflate failed");
            if (hash) EVP_DigestUpdate(digest, output, CHUNK - state.avail_out);
        } while (state.block_state != ISAL_BLOCK_FINISH);
        if (state.crc != e->crc) fail("CRC-32 mismatch");
    } else if (hash) {
        EVP_DigestUpdate(digest, data, e->compressed);
    }
    uint8_t sum[EVP_MAX_MD_SIZE];
    unsigned int length;
    EVP_DigestFinal_ex(digest, sum, &length);
    EVP_MD_CTX_free(digest);
}

static char **paths;
static size_t path_count;
static atomic_size_t next_path;

// One thread of `files`: takes the next path until none is left.
static void *hash_files(void *unused) {
    (void)unused;
    uint8_t *buffer = malloc(CHUNK);
    EVP_MD_CTX *digest = EVP_MD_CTX_new();
    for (size_t i; (i = atomic_fetch_add(&next_path, 1)) < path_count;) {
        int fd = open(paths[i], O_RDONLY | O_CLOEXEC);
        if (fd < 0) fail("cannot open a listed file");
        EVP_DigestInit_ex(digest, EVP_sha256(), NULL);
        ssize_t n;
        while ((n = read(fd, buffer, CHUNK)) > 0) EVP_DigestUpdate(digest, buffer, (size_t)n);
        if (n < 0) fail("cannot read a listed file");
        close(fd);
        uint8_t sum[EVP_MAX_MD_SIZE];
        unsigned int length;
        EVP_DigestFinal_ex(digest, sum, &length);
    }
    EVP_MD_CTX_free(digest);
    free(buffer);
    return NULL;
}

static int files(const char *list, int threads) {
    FILE *in = fopen(list, "r");
    if (!in || threads < 1 || threads > 64) fail("cannot read the list");
    size_t capacity = 1024;
    paths = malloc(capacity * sizeof *paths);
    char *line = NULL;
    size_t size = 0;
    ssize_t length;
    while ((length = getline(&line, &size, in)) > 0) {
        if (line[length - 1] == '\n') line[length - 1] = 0;
        if (path_count == capacity) paths = realloc(paths, (capacity *= 2) * sizeof *paths);
        paths[path_count++] = strdup(line);
    }
    fclose(in);
    pthread_t workers[64];
    for (int t = 0; t < threads; t++) pthread_create(&workers[t], NULL, hash_files, NULL);
    for (int t = 0; t < threads; t++) pthread_join(workers[t], NULL);
    return 0;
}

int main(int argc, char **argv) {
    if (argc == 4 && strcmp(argv[1], "files") == 0) return files(argv[2], atoi(argv[3]));
    if (argc != 3 || (strcmp(argv[1], "verify") && strcmp(argv[1], "largest")))
        fail("usage: floor verify|largest WHEEL, or floor files LIST THREADS");
    int fd = open(argv[2], O_RDONLY);
    struct stat info;
    if (fd < 0 || fstat(fd, &info) != 0) fail("cannot open the wheel");
    file_size = info.st_size;
    void *mapped = mmap(NULL, file_size ? file_size : 1, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
    if (mapped == MAP_FAILED) fail("cannot map the wheel");
    file_bytes = mapped;
    size_t count;
    struct entry *list = entries(&count);
    if (strcmp(argv[1], "largest") == 0) {
        size_t largest = 0;
        for (size_t i = 1; i < count; i++)
            if (list[i].uncompressed > list[largest].uncompressed) largest = i;
        if (count) verify(&list[largest], 0);
    } else {
        for (size_t i = 0; i < count; i++) verify(&list[i], 1);
    }
    return 0;
}
