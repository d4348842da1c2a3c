// SPDX-License-Identifier: GPL-2.0
#include "bpf_log.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/libbpf.h>

static char text[8192];
static size_t text_len;
static char last[512];

static void keep(const char *msg, size_t n)
{
	/* keep the end: drop the oldest half, or all, to make room */
	if (n >= sizeof(text)) {
		msg += n - (sizeof(text) - 1);
		n = sizeof(text) - 1;
	}
	if (text_len + n >= sizeof(text)) {
		size_t drop = text_len / 2 + n;

		drop = drop < text_len ? drop : text_len;
		memmove(text, text + drop, text_len - drop);
		text_len -= drop;
	}
	memcpy(text + text_len, msg, n);
	text_len += n;
	text[text_len] = '\0';
}

static int hook(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	static char msg[65536];
	va_list copy;
	int n;

	if (!fmt)
		return 0;
	if (getenv("INVLAB_DEBUG_BPF")) {
		va_copy(copy, ap);
		vfprintf(stderr, fmt, copy);
		va_end(copy);
	}
	if (level == LIBBPF_DEBUG)
		return 0;
	n = vsnprintf(msg, sizeof(msg), fmt, ap);
	if (n > 0)
		keep(msg, strlen(msg));
	return 0;
}

void bpf_log_begin(void)
{
	libbpf_set_print(hook);
	text_len = 0;
	text[0] = '\0';
}

const char *bpf_log_text(void)
{
	return text;
}

const char *bpf_log_last(void)
{
	size_t end = text_len, start;

	while (end && text[end - 1] == '\n')
		end--;
	start = end;
	while (start && text[start - 1] != '\n')
		start--;
	snprintf(last, sizeof(last), "%.*s", (int)(end - start), text + start);
	return last;
}
