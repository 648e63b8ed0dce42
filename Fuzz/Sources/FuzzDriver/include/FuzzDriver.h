#ifndef ACCESSRISK_FUZZ_DRIVER_H
#define ACCESSRISK_FUZZ_DRIVER_H
/* SwiftPM links an executable's `main` to `<module>_main`; this one hands control to libFuzzer's driver. */
int accessrisk_fuzz_main(int argc, char **argv);
#endif
