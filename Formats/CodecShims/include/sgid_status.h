#ifndef SGID_STATUS_H
#define SGID_STATUS_H
#include <stddef.h>
#include <stdint.h>

/// Result codes shared by every shim.
#define SGID_OK 0              /* success */
#define SGID_ERR_CORRUPT 1     /* the library rejected the data; the message says why */
#define SGID_ERR_TRUNCATED 2   /* the data ended early */
#define SGID_ERR_UNSUPPORTED 3 /* a feature we do not decode */
#define SGID_ERR_ARGUMENT 4    /* an invalid request */
#define SGID_ERR_MEMORY 5      /* an allocation failed */

/// Capacity of every error-message buffer.
#define SGID_MESSAGE_CAPACITY 200

/// Frees memory the shims allocated for the caller (encoded outputs).
void sgid_free(void *pointer);
#endif
