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
    uint8_t message[MESSAGE_SIZE];
    memset(message, 0x5a, sizeof message);
    OQS_init();

    if (is_kem) {
        OQS_KEM *kem = OQS_KEM_new(argv[3]);
        if (!kem) fail("OQS_KEM_new");
        uint8_t *pk = malloc(kem->length_public_key), *sk = malloc(kem->length_secret_key);
        uint8_t *ct = malloc(kem->length_ciphertext), *ss = malloc(kem->length_shared_secret);
        size_t record = strcmp(op, "encaps") == 0   ? kem->length_public_key
                        : strcmp(op, "decaps") == 0 ? kem->length_secret_key + kem->length_ciphertext
                                                    : 0;
        uint8_t *inputs = read_inputs(argv[6], record * (size_t)calls);
        for (long i = -1; i < calls; i++) {
            const uint8_t *in = inputs + record * (size_t)(i < 0 ? 0 : i);
            if (counting && i >= 0) pqc_marker();
            uint64_t start = now_ns();
            OQS_STATUS rv;
            if (strcmp(op, "keygen") == 0) rv = OQS_KEM_keypair(kem, pk, sk);
            else if (strcmp(op, "encaps") == 0) rv = OQS_KEM_encaps(kem, ct, ss, in);
            else rv = OQS_KEM_decaps(kem, ss, in + kem->length_secret_key, in);
            if (i >= 0) ns[i] = now_ns() - start;
            if (rv != OQS_SUCCESS) fail(op);
        }
        OQS_KEM_free(kem);
    } else {
        OQS_SIG *sig = OQS_SIG_new(argv[3]);
        if (!sig) fail("OQS_SIG_new");
        uint8_t *pk = malloc(sig->length_public_key), *sk = malloc(sig->length_secret_key);
        uint8_t *signature = malloc(sig->length_signature);
        size_t record = strcmp(op, "sign") == 0     ? sig->length_secret_key
                        : strcmp(op, "verify") == 0 ? sig->length_public_key + 8 + sig->length_signature
                                                    : 0;
        uint8_t *inputs = read_inputs(argv[6], record * (size_t)calls);
        for (long i = -1; i < calls; i++) {
            const uint8_t *in = inputs + record * (size_t)(i < 0 ? 0 : i);
            size_t length = sig->length_signature;
            if (strcmp(op, "verify") == 0) memcpy(&length, in + sig->length_public_key, 8);
            if (counting && i >= 0) pqc_marker();
            uint64_t start = now_ns();
            OQS_STATUS rv;
            if (strcmp(op, "keygen") == 0) rv = OQS_SIG_keypair(sig, pk, sk);
            else if (strcmp(op, "sign") == 0)
                rv = OQS_SIG_sign(sig, signature, &length, message, MESSAGE_SIZE, in);
            else
                rv = OQS_SIG_verify(sig, message, MESSAGE_SIZE, in + sig->length_public_key + 8,
                                    length, in);
            if (i >= 0) ns[i] = now_ns() - start;
            if (rv != OQS_SUCCESS) fail(op);
        }
        OQS_SIG_free(sig);
    }
    if (counting) {
        pqc_marker();
        return 0;
    }
    qsort(ns, (size_t)calls, sizeof *ns, compare_u64);
    printf("{\"median_ns\": %llu, \"min_ns\": %llu, \"calls\": %ld}\n",
           (unsigned long long)ns[calls / 2], (unsigned long long)ns[0], calls);
    return 0;
}
