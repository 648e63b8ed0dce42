#ifndef ACCESSRISK_CLIBCSV_SHIM_H
#define ACCESSRISK_CLIBCSV_SHIM_H
#include <csv.h>
#endif
