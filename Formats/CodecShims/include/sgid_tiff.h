#ifndef SGID_TIFF_H
#define SGID_TIFF_H
#include "sgid_status.h"
// TIFF shim (error-handler capture): filled in by the TIFF work.
#endif
