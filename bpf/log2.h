/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The probes' log2 histograms (fanout, fnfan): slot k counts values in
 * [2^(k-1), 2^k), slot 0 zeros, the last slot everything above. User space
 * turns them into JSON with fanout_hist_json().
 */
#ifndef INVLAB_LOG2_H
#define INVLAB_LOG2_H

#define LOG2_SLOTS 40

#ifdef __bpf__
/*
 * Position of the highest set bit, plus one. A global function, so the
 * verifier checks it once instead of once per path through each caller.
 */
__noinline __u32 log2_slot(__u64 v)
{
	__u32 s = 0;

	if (v >> 32) {
		v >>= 32;
		s += 32;
	}
	if (v >> 16) {
		v >>= 16;
		s += 16;
	}
	if (v >> 8) {
		v >>= 8;
		s += 8;
	}
	if (v >> 4) {
		v >>= 4;
		s += 4;
	}
	if (v >> 2) {
		v >>= 2;
		s += 2;
	}
	if (v >> 1) {
		v >>= 1;
		s += 1;
	}
	s += v;
	return s < LOG2_SLOTS ? s : LOG2_SLOTS - 1;
}

/* log2_slot() bounded where the caller indexes with it: the verifier
 * cannot see into a global function's result.
 */
static __always_inline __u32 log2_bslot(__u64 v)
{
	__u32 s = log2_slot(v);

	return s < LOG2_SLOTS ? s : LOG2_SLOTS - 1;
}
#endif

#endif
