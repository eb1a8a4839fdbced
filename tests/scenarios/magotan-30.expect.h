/*
 * What a UDS full-system scan of magotan-30.ini must find: shared by the
 * host test (tests/unit/test_uds_scan.c) and the kernel test under qemu
 * (tests/can/cantest.c). Keep it in step with the scenario's [ecu] sections.
 */
#ifndef OBDGW_TEST_MAGOTAN30_H
#define OBDGW_TEST_MAGOTAN30_H

#include "obdgw/link.h"

/* The 27 modules that answer (the gateway 710/77A among them, refusing). */
static const obd_target_t car30_answering[] = {
    { 0x7E0, 0x7E8 }, { 0x7E1, 0x7E9 }, { 0x713, 0x77D }, { 0x746, 0x7B0 }, { 0x70E, 0x778 }, { 0x70A, 0x774 },
    { 0x757, 0x7C1 }, { 0x715, 0x77F }, { 0x70C, 0x776 }, { 0x714, 0x77E }, { 0x710, 0x77A }, { 0x74A, 0x7B4 },
    { 0x712, 0x77C }, { 0x74B, 0x7B5 }, { 0x752, 0x7BC }, { 0x754, 0x7BE }, { 0x773, 0x7DD }, { 0x74D, 0x7B7 },
    { 0x767, 0x7D1 }, { 0x74F, 0x7B9 }, { 0x70F, 0x779 }, { 0x745, 0x7AF }, { 0x749, 0x7B3 }, { 0x756, 0x7C0 },
    { 0x748, 0x7B2 }, { 0x747, 0x7B1 }, { 0x707, 0x771 },
};
#define CAR30_NANSWERING (sizeof car30_answering / sizeof car30_answering[0])

/* Fitted, silent: rear left door, tyre pressure, rear-view camera. */
static const obd_target_t car30_silent[] = { { 0x74C, 0x7B6 }, { 0x765, 0x7CF }, { 0x76D, 0x7D7 } };
#define CAR30_NSILENT (sizeof car30_silent / sizeof car30_silent[0])

/* The secure gateway: answers, refuses $19/$22/$14 with this NRC. */
#define CAR30_REFUSING_RX 0x77Au
#define CAR30_REFUSING_NRC 0x33

#endif
