#include "sgid_status.h"
#include <stdlib.h>

void sgid_free(void *pointer) { free(pointer); }
