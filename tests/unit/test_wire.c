// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of the wire-format header shared by the driver, the simulated
 * modem and the BPF tools: layout, encoding, padding and the validation of
 * every field.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "bam_dmux_wire.h"

static unsigned char frame[BAM_DMUX_BUFFER_SIZE];

static struct bam_dmux_hdr *hdr_of(void)
{
	return (struct bam_dmux_hdr *)frame;
}

/* A valid DATA frame of @len payload bytes on @ch; returns its length. */
static unsigned int make_frame(unsigned int ch, unsigned int len)
{
	memset(frame, 0, sizeof(frame));
	bam_dmux_hdr_encode(hdr_of(), BAM_DMUX_CMD_DATA, ch, len);
	return bam_dmux_frame_len(len);
}

static void test_layout(void **state)
{
	(void)state;
	assert_int_equal(sizeof(struct bam_dmux_hdr), BAM_DMUX_HDR_SIZE);
	assert_int_equal(offsetof(struct bam_dmux_hdr, magic), 0);
	assert_int_equal(offsetof(struct bam_dmux_hdr, signal), 2);
	assert_int_equal(offsetof(struct bam_dmux_hdr, cmd), 3);
	assert_int_equal(offsetof(struct bam_dmux_hdr, pad), 4);
	assert_int_equal(offsetof(struct bam_dmux_hdr, ch), 5);
	assert_int_equal(offsetof(struct bam_dmux_hdr, len), 6);
	assert_int_equal(BAM_DMUX_MAX_DATA_SIZE, 2040);
}

static void test_encode_bytes(void **state)
{
	static const unsigned char expect[8] = {
		0xfc, 0x33, 0x00, 0x01, 0x03, 0x05, 0x01, 0x02,
	};

	(void)state;
	memset(frame, 0xaa, sizeof(frame));
	/* OPEN on channel 5 with len 0x201: little-endian on the wire, pad 3 */
	bam_dmux_hdr_encode(hdr_of(), BAM_DMUX_CMD_OPEN, 5, 0x201);
	assert_memory_equal(frame, expect, sizeof(expect));
}

static void test_decode(void **state)
{
	static const unsigned char wire[8] = {
		0xfc, 0x33, 0x00, 0x00, 0x02, 0x07, 0xd2, 0x04,
	};
	const struct bam_dmux_hdr *hdr = (const void *)wire;

	(void)state;
	assert_int_equal(bam_dmux_le16_to_cpu(hdr->magic), BAM_DMUX_MAGIC);
	assert_int_equal(hdr->cmd, BAM_DMUX_CMD_DATA);
	assert_int_equal(hdr->pad, 2);
	assert_int_equal(hdr->ch, 7);
	assert_int_equal(bam_dmux_le16_to_cpu(hdr->len), 1234);
	assert_int_equal(bam_dmux_hdr_validate(hdr, 8 + 1234 + 2), BAM_DMUX_FRAME_OK);
}

static void test_padding_is_minimal(void **state)
{
	unsigned int len;

	(void)state;
	for (len = 0; len <= BAM_DMUX_MAX_DATA_SIZE; len++) {
		unsigned int pad = bam_dmux_pad_len(len);

		assert_true(pad < 4);
		assert_int_equal((len + pad) % 4, 0);
		assert_int_equal(bam_dmux_frame_len(len), 8 + len + pad);
	}
	/* already aligned: no padding at all */
	assert_int_equal(bam_dmux_pad_len(1500), 0);
	assert_int_equal(bam_dmux_pad_len(2040), 0);
	assert_int_equal(bam_dmux_pad_len(1), 3);
}

static void test_valid_frames(void **state)
{
	unsigned int ch, len;

	(void)state;
	for (ch = 0; ch < BAM_DMUX_NUM_CH; ch++)
		for (len = 0; len <= BAM_DMUX_MAX_DATA_SIZE; len += 97)
			assert_int_equal(bam_dmux_hdr_validate(hdr_of(), make_frame(ch, len)),
					 BAM_DMUX_FRAME_OK);
	/* largest payload fills the buffer exactly */
	assert_int_equal(make_frame(0, BAM_DMUX_MAX_DATA_SIZE), BAM_DMUX_BUFFER_SIZE);
	assert_int_equal(bam_dmux_hdr_validate(hdr_of(), BAM_DMUX_BUFFER_SIZE),
			 BAM_DMUX_FRAME_OK);
}

static void test_commands(void **state)
{
	unsigned int cmd;
	unsigned int frame_len = make_frame(0, 0);

	(void)state;
	for (cmd = 0; cmd < 256; cmd++) {
		int valid = cmd == 0 || cmd == 1 || cmd == 2 || cmd == 4;

		hdr_of()->cmd = cmd;
		assert_int_equal(bam_dmux_cmd_valid(cmd), valid);
		assert_int_equal(bam_dmux_hdr_validate(hdr_of(), frame_len),
				 valid ? BAM_DMUX_FRAME_OK : BAM_DMUX_FRAME_BAD_CMD);
	}
}

static void test_bad_magic(void **state)
{
	unsigned int frame_len = make_frame(0, 64);

	(void)state;
	hdr_of()->magic = bam_dmux_cpu_to_le16(0xfc33);	/* byte-swapped */
	assert_int_equal(bam_dmux_hdr_validate(hdr_of(), frame_len),
			 BAM_DMUX_FRAME_BAD_MAGIC);
	hdr_of()->magic = 0;
	assert_int_equal(bam_dmux_hdr_validate(hdr_of(), frame_len),
			 BAM_DMUX_FRAME_BAD_MAGIC);
}

static void test_bad_channel(void **state)
{
	unsigned int ch, frame_len = make_frame(0, 64);

	(void)state;
	for (ch = BAM_DMUX_NUM_CH; ch < 256; ch++) {
		hdr_of()->ch = ch;
		assert_int_equal(bam_dmux_hdr_validate(hdr_of(), frame_len),
				 BAM_DMUX_FRAME_BAD_CHANNEL);
	}
}

static void test_oversize(void **state)
{
	(void)state;
	make_frame(0, 0);
	hdr_of()->len = bam_dmux_cpu_to_le16(BAM_DMUX_MAX_DATA_SIZE + 1);
	assert_int_equal(bam_dmux_hdr_validate(hdr_of(), BAM_DMUX_BUFFER_SIZE),
			 BAM_DMUX_FRAME_OVERSIZE);
	hdr_of()->len = bam_dmux_cpu_to_le16(0xffff);
	assert_int_equal(bam_dmux_hdr_validate(hdr_of(), BAM_DMUX_BUFFER_SIZE),
			 BAM_DMUX_FRAME_OVERSIZE);
}

static void test_short(void **state)
{
	unsigned int frame_len = make_frame(3, 100);

	(void)state;
	/* the header itself was not transferred */
	assert_int_equal(bam_dmux_hdr_validate(hdr_of(), 0), BAM_DMUX_FRAME_SHORT);
	assert_int_equal(bam_dmux_hdr_validate(hdr_of(), 7), BAM_DMUX_FRAME_SHORT);
	/* len claims more than arrived */
	assert_int_equal(bam_dmux_hdr_validate(hdr_of(), 8), BAM_DMUX_FRAME_SHORT);
	assert_int_equal(bam_dmux_hdr_validate(hdr_of(), 8 + 99), BAM_DMUX_FRAME_SHORT);
	assert_int_equal(bam_dmux_hdr_validate(hdr_of(), frame_len), BAM_DMUX_FRAME_OK);
}

static void test_pad(void **state)
{
	(void)state;
	/* payload arrived, its padding did not */
	make_frame(1, 101);
	assert_int_equal(bam_dmux_hdr_validate(hdr_of(), 8 + 101), BAM_DMUX_FRAME_BAD_PAD);
	assert_int_equal(bam_dmux_hdr_validate(hdr_of(), 8 + 101 + 2), BAM_DMUX_FRAME_BAD_PAD);
	assert_int_equal(bam_dmux_hdr_validate(hdr_of(), 8 + 101 + 3), BAM_DMUX_FRAME_OK);
	/* any pad the modem chose is fine when it fits */
	hdr_of()->pad = 7;
	assert_int_equal(bam_dmux_hdr_validate(hdr_of(), 8 + 101 + 7), BAM_DMUX_FRAME_OK);
	hdr_of()->pad = 255;
	assert_int_equal(bam_dmux_hdr_validate(hdr_of(), 8 + 101 + 7), BAM_DMUX_FRAME_BAD_PAD);
	/* an aligned payload needs none */
	make_frame(1, 100);
	assert_int_equal(hdr_of()->pad, 0);
	assert_int_equal(bam_dmux_hdr_validate(hdr_of(), 8 + 100), BAM_DMUX_FRAME_OK);
}

static void test_error_order(void **state)
{
	(void)state;
	/* with everything wrong, the magic is reported first */
	memset(frame, 0xff, 8);
	assert_int_equal(bam_dmux_hdr_validate(hdr_of(), 8), BAM_DMUX_FRAME_BAD_MAGIC);
	hdr_of()->magic = bam_dmux_cpu_to_le16(BAM_DMUX_MAGIC);
	assert_int_equal(bam_dmux_hdr_validate(hdr_of(), 8), BAM_DMUX_FRAME_BAD_CMD);
	hdr_of()->cmd = BAM_DMUX_CMD_DATA;
	assert_int_equal(bam_dmux_hdr_validate(hdr_of(), 8), BAM_DMUX_FRAME_BAD_CHANNEL);
	hdr_of()->ch = 0;
	assert_int_equal(bam_dmux_hdr_validate(hdr_of(), 8), BAM_DMUX_FRAME_OVERSIZE);
	hdr_of()->len = bam_dmux_cpu_to_le16(8);
	assert_int_equal(bam_dmux_hdr_validate(hdr_of(), 8), BAM_DMUX_FRAME_SHORT);
	assert_int_equal(bam_dmux_hdr_validate(hdr_of(), 16), BAM_DMUX_FRAME_BAD_PAD);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_layout),
		cmocka_unit_test(test_encode_bytes),
		cmocka_unit_test(test_decode),
		cmocka_unit_test(test_padding_is_minimal),
		cmocka_unit_test(test_valid_frames),
		cmocka_unit_test(test_commands),
		cmocka_unit_test(test_bad_magic),
		cmocka_unit_test(test_bad_channel),
		cmocka_unit_test(test_oversize),
		cmocka_unit_test(test_short),
		cmocka_unit_test(test_pad),
		cmocka_unit_test(test_error_order),
	};

	return cmocka_run_group_tests_name("wire", tests, NULL, NULL);
}
