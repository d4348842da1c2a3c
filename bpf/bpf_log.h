/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libbpf's messages, for every probe: one print hook keeps the end of
 * libbpf's warnings (the verifier's verdict comes last) so that a probe
 * that fails to load or attach can say why. INVLAB_DEBUG_BPF=1 also prints
 * everything libbpf says on stderr.
 */
#ifndef INVLAB_BPF_LOG_H
#define INVLAB_BPF_LOG_H

/* Install the hook (once) and forget what it kept so far. */
void bpf_log_begin(void);
/* The warnings kept since bpf_log_begin(): at most their last 8 KiB. */
const char *bpf_log_text(void);
/* The last line of them ("" when there is none), for a one-line error. */
const char *bpf_log_last(void);

#endif
