// SHA-256 uses the one-shot low-level functions, which OpenSSL 3 marks deprecated but keeps: they need no
// provider fetch or configuration file, which the EVP interface loads on first use (about a millisecond).
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/evp.h>
#include <openssl/sha.h>
