// SPDX-License-Identifier: GPL-2.0-only
/*
 * BAM-DMUX tracepoints: the one file that instantiates them. The events
 * and their fields are described in bam_dmux_trace.h and
 * Documentation/tracepoints.rst.
 */
#define CREATE_TRACE_POINTS
#include "bam_dmux_trace.h"
