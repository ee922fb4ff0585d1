/* A per-call C loop over liboqs: the reference pqc's liboqs numbers are held against.
 *
 * Built at benchmark time by benchmarks/native_cost.py:
 *   gcc -O2 -o liboqs_loop liboqs_loop.c -I$OQS_INSTALL_PATH/include \
 *       -L$OQS_INSTALL_PATH/lib -Wl,-rpath,$OQS_INSTALL_PATH/lib -loqs
 *
 * Usage:
 *   liboqs_loop time  kem|sig ALGORITHM OP CALLS INPUTS   median and min ns per call
 *   liboqs_loop count kem|sig ALGORITHM OP CALLS INPUTS   calls for callgrind, with
 *       pqc_marker() before each call and after the last (--dump-before=pqc_marker)
 *
 * The same file built as a shared library (add -shared -fPIC) exports the loop itself,
 *   int pqc_liboqs_loop(int counting, int is_kem, const char *algorithm, const char *op,
 *                       long calls, const uint8_t *inputs, uint64_t *ns)
 * (ns receives each call's time; returns 0, or 1 when liboqs fails), so that
 * native_cost.py can run C rounds in its own process, interleaved with Python rounds
 * over the same inputs: on a machine whose speed moves between seconds, a ratio is
 * only worth something when both sides ran in the same moment.
 *
 * OP is keygen, encaps, decaps (kem) or keygen, sign, verify (sig). INPUTS is a file
 * of CALLS records (ignored for keygen), written by native_cost.py:
 *   encaps: public key; decaps: secret key || ciphertext; sign: secret key;
 *   verify: public key || 8-byte little-endian signature length || signature (max size).
 * The message signed and verified is 32 bytes of 0x5a, as in pqc.bench.instructions.
 * Each call goes through the generic OQS_KEM_* / OQS_SIG_* functions, as pqc's does.
 * One unmeasured call first (i = -1, on the first record) does liboqs's one-time set-up
 * (CPU feature detection, OpenSSL's first use), as pqc's warm-up does.
 */
#include <oqs/oqs.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MESSAGE_SIZE 32

__attribute__((noinline)) void pqc_marker(void) { __asm__ volatile("" ::: "memory"); }

static uint64_t now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

static int compare_u64(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

static uint8_t *read_inputs(const char *path, size_t size) {
    uint8_t *data = malloc(size ? size : 1);
    FILE *f = fopen(path, "rb");
    if (!data || !f || fread(data, 1, size, f) != size) {
        fprintf(stderr, "cannot read %zu bytes of inputs from %s\n", size, path);
        exit(2);
    }
    fclose(f);
    return data;
}

static void fail(const char *what) {
    fprintf(stderr, "%s failed\n", what);
    exit(1);
}


/* Bytes of one input record for OP (see the header); 0 for keygen. */
static size_t kem_record(const OQS_KEM *kem, const char *op) {
    if (strcmp(op, "encaps") == 0) return kem->length_public_key;
    if (strcmp(op, "decaps") == 0) return kem->length_secret_key + kem->length_ciphertext;
    return 0;
}

static size_t sig_record(const OQS_SIG *sig, const char *op) {
    if (strcmp(op, "sign") == 0) return sig->length_secret_key;
    if (strcmp(op, "verify") == 0) return sig->length_public_key + 8 + sig->length_signature;
    return 0;
}

int pqc_liboqs_loop(int counting, int is_kem, const char *algorithm, const char *op, long calls,
                    const uint8_t *inputs, uint64_t *ns) {
    uint8_t message[MESSAGE_SIZE];
    memset(message, 0x5a, sizeof message);
    OQS_init();
    OQS_STATUS rv = OQS_SUCCESS;
    if (is_kem) {
        OQS_KEM *kem = OQS_KEM_new(algorithm);
        if (!kem) return 1;
        uint8_t *pk = malloc(kem->length_public_key), *sk = malloc(kem->length_secret_key);
        uint8_t *ct = malloc(kem->length_ciphertext), *ss = malloc(kem->length_shared_secret);
        size_t record = kem_record(kem, op);
        for (long i = -1; i < calls && rv == OQS_SUCCESS; i++) {
            const uint8_t *in = inputs + record * (size_t)(i < 0 ? 0 : i);
            if (counting && i >= 0) pqc_marker();
            uint64_t start = now_ns();
            if (strcmp(op, "keygen") == 0) rv = OQS_KEM_keypair(kem, pk, sk);
            else if (strcmp(op, "encaps") == 0) rv = OQS_KEM_encaps(kem, ct, ss, in);
            else rv = OQS_KEM_decaps(kem, ss, in + kem->length_secret_key, in);
            if (i >= 0) ns[i] = now_ns() - start;
        }
        free(pk), free(sk), free(ct), free(ss);
        OQS_KEM_free(kem);
    } else {
        OQS_SIG *sig = OQS_SIG_new(algorithm);
        if (!sig) return 1;
        uint8_t *pk = malloc(sig->length_public_key), *sk = malloc(sig->length_secret_key);
        uint8_t *signature = malloc(sig->length_signature);
        size_t record = sig_record(sig, op);
        for (long i = -1; i < calls && rv == OQS_SUCCESS; i++) {
            const uint8_t *in = inputs + record * (size_t)(i < 0 ? 0 : i);
            size_t length = sig->length_signature;
            if (strcmp(op, "verify") == 0) memcpy(&length, in + sig->length_public_key, 8);
            if (counting && i >= 0) pqc_marker();
            uint64_t start = now_ns();
            if (strcmp(op, "keygen") == 0) rv = OQS_SIG_keypair(sig, pk, sk);
            else if (strcmp(op, "sign") == 0)
                rv = OQS_SIG_sign(sig, signature, &length, message, MESSAGE_SIZE, in);
            else
                rv = OQS_SIG_verify(sig, message, MESSAGE_SIZE, in + sig->length_public_key + 8,
                                    length, in);
            if (i >= 0) ns[i] = now_ns() - start;
        }
        free(pk), free(sk), free(signature);
        OQS_SIG_free(sig);
    }
    if (counting) pqc_marker();
    return rv == OQS_SUCCESS ? 0 : 1;
}

int main(int argc, char **argv) {
    if (argc != 7) {
        fprintf(stderr, "usage: %s time|count kem|sig ALGORITHM OP CALLS INPUTS\n", argv[0]);
        return 2;
    }
    int counting = strcmp(argv[1], "count") == 0;
    int is_kem = strcmp(argv[2], "kem") == 0;
    const char *op = argv[4];
    long calls = atol(argv[5]);
    uint64_t *ns = calloc((size_t)calls, sizeof *ns);
    size_t record;
    if (is_kem) {
        OQS_KEM *kem = OQS_KEM_new(argv[3]);
        if (!kem) fail("OQS_KEM_new");
        record = kem_record(kem, op);
        OQS_KEM_free(kem);
    } else {
        OQS_SIG *sig = OQS_SIG_new(argv[3]);
        if (!sig) fail("OQS_SIG_new");
        record = sig_record(sig, op);
        OQS_SIG_free(sig);
    }
    uint8_t *inputs = read_inputs(argv[6], record * (size_t)calls);
    if (pqc_liboqs_loop(counting, is_kem, argv[3], op, calls, inputs, ns) != 0) fail(op);
    if (counting) return 0;
    qsort(ns, (size_t)calls, sizeof *ns, compare_u64);
    printf("{\"median_ns\": %llu, \"min_ns\": %llu, \"calls\": %ld}\n",
           (unsigned long long)ns[calls / 2], (unsigned long long)ns[0], calls);
    return 0;
}
