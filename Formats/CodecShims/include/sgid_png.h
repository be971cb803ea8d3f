#ifndef SGID_PNG_H
#define SGID_PNG_H
#include "sgid_status.h"
// PNG decode/encode shim: filled in by the PNG work.
#endif
