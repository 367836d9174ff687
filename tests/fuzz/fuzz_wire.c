// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer harness for the wire-format decoder (driver/bam_dmux_wire.h),
 * which the driver runs on every frame the modem writes into an RX buffer.
 *
 * The input is the buffer as the DMA engine left it: its bytes are copied
 * into an allocation of exactly that size (at most one RX buffer), so that
 * AddressSanitizer catches any read beyond what was transferred. The
 * harness then checks the decoder against the protocol, independently of
 * how it is written:
 *  - the verdict is one of the wire-level reasons, and the first one that
 *    applies, in the order enum bam_dmux_frame_err lists them;
 *  - a frame accepted has the magic, a valid command, ch < 8,
 *    len <= 2040 and header + len + pad within the bytes transferred;
 *  - an accepted frame stays accepted with more bytes transferred (up to
 *    a full buffer) and is refused with one byte less than it needs;
 *  - the encoder's frame for the same command, channel and length is
 *    accepted, a multiple of 4 bytes, and fits in one RX buffer.
 * A violated check prints what failed and aborts: libFuzzer keeps the input.
 *
 *   make fuzz FUZZ_SECONDS=60
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bam_dmux_wire.h"

#define CHECK(cond)							\
	do {								\
		if (!(cond)) {						\
			fprintf(stderr, "fuzz_wire: %s:%d: %s\n",	\
				__FILE__, __LINE__, #cond);		\
			abort();					\
		}							\
	} while (0)

/* The verdict the protocol asks for, written from DESIGN.md's rules. */
static enum bam_dmux_frame_err expected(const uint8_t *buf, size_t n)
{
	unsigned int len;

	if (n < BAM_DMUX_HDR_SIZE)
		return BAM_DMUX_FRAME_SHORT;
	if (buf[0] != 0xfc || buf[1] != 0x33)
		return BAM_DMUX_FRAME_BAD_MAGIC;
	if (buf[3] != 0 && buf[3] != 1 && buf[3] != 2 && buf[3] != 4)
		return BAM_DMUX_FRAME_BAD_CMD;
	if (buf[5] > 7)
		return BAM_DMUX_FRAME_BAD_CHANNEL;
	len = buf[6] | (unsigned int)buf[7] << 8;
	if (len > 2040)
		return BAM_DMUX_FRAME_OVERSIZE;
	if (8 + len > n)
		return BAM_DMUX_FRAME_SHORT;
	if (8 + len + buf[4] > n)
		return BAM_DMUX_FRAME_BAD_PAD;
	return BAM_DMUX_FRAME_OK;
}

static void check_accepted(const struct bam_dmux_hdr *hdr, unsigned int n)
{
	unsigned int len = bam_dmux_le16_to_cpu(hdr->len);
	unsigned int need = BAM_DMUX_HDR_SIZE + len + hdr->pad;
	struct bam_dmux_hdr enc;
	enum bam_dmux_frame_err err;

	CHECK(bam_dmux_le16_to_cpu(hdr->magic) == BAM_DMUX_MAGIC);
	CHECK(bam_dmux_cmd_valid(hdr->cmd));
	CHECK(hdr->ch < BAM_DMUX_NUM_CH);
	CHECK(len <= BAM_DMUX_MAX_DATA_SIZE);
	CHECK(need <= n);

	/* the header alone decides: more bytes change nothing, fewer refuse */
	CHECK(bam_dmux_hdr_validate(hdr, BAM_DMUX_BUFFER_SIZE) == BAM_DMUX_FRAME_OK);
	err = bam_dmux_hdr_validate(hdr, need - 1);
	CHECK(err == BAM_DMUX_FRAME_SHORT || err == BAM_DMUX_FRAME_BAD_PAD);

	/* what our own encoder makes of it is accepted and fits a buffer */
	bam_dmux_hdr_encode(&enc, hdr->cmd, hdr->ch, len);
	CHECK(enc.pad < 4);
	CHECK(bam_dmux_frame_len(len) == BAM_DMUX_HDR_SIZE + len + enc.pad);
	CHECK(bam_dmux_frame_len(len) % 4 == 0);
	CHECK(bam_dmux_frame_len(len) <= BAM_DMUX_BUFFER_SIZE);
	CHECK(bam_dmux_hdr_validate(&enc, bam_dmux_frame_len(len)) == BAM_DMUX_FRAME_OK);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t n = size < BAM_DMUX_BUFFER_SIZE ? size : BAM_DMUX_BUFFER_SIZE;
	enum bam_dmux_frame_err err;
	uint8_t *buf;

	/* exactly the transferred bytes: a read past them is a heap overflow */
	buf = malloc(n ? n : 1);
	if (!buf)
		return 0;
	memcpy(buf, data, n);

	err = bam_dmux_hdr_validate((const struct bam_dmux_hdr *)buf, n);
	CHECK((unsigned int)err <= BAM_DMUX_FRAME_BAD_PAD);
	CHECK(err == expected(buf, n));
	if (err == BAM_DMUX_FRAME_OK)
		check_accepted((const struct bam_dmux_hdr *)buf, n);

	free(buf);
	return 0;
}
