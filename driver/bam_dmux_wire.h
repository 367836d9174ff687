/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * BAM-DMUX wire format, shared by the driver, the simulated modem, the
 * host unit tests and the BPF programs.
 *
 * Pure C: no kernel-only types or helpers, so that it compiles in the
 * kernel, in user space and in a BPF object built against vmlinux.h (which
 * already defines the __u8/__le16 family; define BAM_DMUX_WIRE_NO_TYPES
 * before including it there).
 *
 * Every frame on either BAM pipe is one 8-byte header, a payload of 'len'
 * bytes and 'pad' zero bytes so that the whole frame is a multiple of 4.
 */
#ifndef BAM_DMUX_WIRE_H
#define BAM_DMUX_WIRE_H

#ifndef BAM_DMUX_WIRE_NO_TYPES
#include <linux/types.h>
#endif

#ifndef __force
#define __force
#endif

#define BAM_DMUX_MAGIC		0x33fc
#define BAM_DMUX_HDR_SIZE	8
#define BAM_DMUX_BUFFER_SIZE	2048
#define BAM_DMUX_MAX_DATA_SIZE	(BAM_DMUX_BUFFER_SIZE - BAM_DMUX_HDR_SIZE)
#define BAM_DMUX_NUM_CH		8

enum bam_dmux_cmd {
	BAM_DMUX_CMD_DATA		= 0,
	BAM_DMUX_CMD_OPEN		= 1,
	BAM_DMUX_CMD_CLOSE		= 2,
	/* downstream's STATUS (3) is not part of this protocol */
	BAM_DMUX_CMD_OPEN_NO_A2_PC	= 4,
};

struct bam_dmux_hdr {
	__le16 magic;
	__u8 signal;
	__u8 cmd;
	__u8 pad;
	__u8 ch;
	__le16 len;
};

/*
 * Why a frame was refused. The values are part of the tracepoint ABI
 * (bam_dmux_rx_drop's reason) and are read by the BPF tools: append only.
 */
enum bam_dmux_frame_err {
	BAM_DMUX_FRAME_OK = 0,
	BAM_DMUX_FRAME_BAD_MAGIC,	/* magic is not 0x33fc */
	BAM_DMUX_FRAME_BAD_CMD,		/* command is not DATA/OPEN/CLOSE/OPEN_NO_A2_PC */
	BAM_DMUX_FRAME_BAD_CHANNEL,	/* ch >= BAM_DMUX_NUM_CH */
	BAM_DMUX_FRAME_OVERSIZE,	/* len > BAM_DMUX_MAX_DATA_SIZE */
	BAM_DMUX_FRAME_SHORT,		/* header or payload beyond the bytes transferred */
	BAM_DMUX_FRAME_BAD_PAD,		/* payload fits, padding does not */
	/* reasons found above the wire format, by the driver */
	BAM_DMUX_FRAME_INACTIVE_CHANNEL, /* data for a channel that is not open */
	BAM_DMUX_FRAME_DMA_ERROR,	/* the DMA engine reported an error */
	BAM_DMUX_FRAME_NO_MEMORY,	/* no skb to deliver it in */
	BAM_DMUX_FRAME_ERR_MAX,
};

static inline __u16 bam_dmux_le16_to_cpu(__le16 v)
{
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	return (__force __u16)v;
#else
	return __builtin_bswap16((__force __u16)v);
#endif
}

static inline __le16 bam_dmux_cpu_to_le16(__u16 v)
{
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	return (__force __le16)v;
#else
	return (__force __le16)__builtin_bswap16(v);
#endif
}

/* Zero bytes needed after a payload of @len bytes: none when aligned. */
static inline unsigned int bam_dmux_pad_len(unsigned int len)
{
	return (4 - (len & 3)) & 3;
}

/* Whole frame length for a payload of @len bytes with minimal padding. */
static inline unsigned int bam_dmux_frame_len(unsigned int len)
{
	return BAM_DMUX_HDR_SIZE + len + bam_dmux_pad_len(len);
}

/* Fill @hdr for a frame of @cmd on @ch carrying @len payload bytes. */
static inline void bam_dmux_hdr_encode(struct bam_dmux_hdr *hdr, __u8 cmd,
				       __u8 ch, __u16 len)
{
	hdr->magic = bam_dmux_cpu_to_le16(BAM_DMUX_MAGIC);
	hdr->signal = 0;
	hdr->cmd = cmd;
	hdr->pad = (__u8)bam_dmux_pad_len(len);
	hdr->ch = ch;
	hdr->len = bam_dmux_cpu_to_le16(len);
}

static inline int bam_dmux_cmd_valid(__u8 cmd)
{
	return cmd == BAM_DMUX_CMD_DATA || cmd == BAM_DMUX_CMD_OPEN ||
	       cmd == BAM_DMUX_CMD_CLOSE || cmd == BAM_DMUX_CMD_OPEN_NO_A2_PC;
}

/*
 * Check a received frame: @hdr points at the start of a buffer into which
 * the DMA engine transferred @transferred bytes. Returns BAM_DMUX_FRAME_OK
 * or the first reason, in the order listed in enum bam_dmux_frame_err.
 * Any pad value the modem chose is accepted as long as it fits.
 */
static inline enum bam_dmux_frame_err
bam_dmux_hdr_validate(const struct bam_dmux_hdr *hdr, unsigned int transferred)
{
	unsigned int len;

	if (transferred < BAM_DMUX_HDR_SIZE)
		return BAM_DMUX_FRAME_SHORT;
	if (bam_dmux_le16_to_cpu(hdr->magic) != BAM_DMUX_MAGIC)
		return BAM_DMUX_FRAME_BAD_MAGIC;
	if (!bam_dmux_cmd_valid(hdr->cmd))
		return BAM_DMUX_FRAME_BAD_CMD;
	if (hdr->ch >= BAM_DMUX_NUM_CH)
		return BAM_DMUX_FRAME_BAD_CHANNEL;
	len = bam_dmux_le16_to_cpu(hdr->len);
	if (len > BAM_DMUX_MAX_DATA_SIZE)
		return BAM_DMUX_FRAME_OVERSIZE;
	if (BAM_DMUX_HDR_SIZE + len > transferred)
		return BAM_DMUX_FRAME_SHORT;
	if (BAM_DMUX_HDR_SIZE + len + hdr->pad > transferred)
		return BAM_DMUX_FRAME_BAD_PAD;
	return BAM_DMUX_FRAME_OK;
}

#endif /* BAM_DMUX_WIRE_H */
