// SPDX-License-Identifier: GPL-2.0
/*
 * dpdk-memhp: DPDK's memory hotplug, one step at a time, for invlab to
 * count the IOMMU commands of each step. With the EAL's dynamic memory
 * (the default, not --legacy-mem), rte_malloc() of more than the heap has
 * free grows it by hugepages, and the EAL maps each new range for DMA
 * (VFIO_IOMMU_MAP_DMA on the container of the device given with -a);
 * rte_free() of it shrinks the heap again and unmaps. A memory event
 * callback reports how many ranges and bytes each step added or removed.
 *
 * Driven over stdin/stdout, with a prompt after each reply so the driver
 * knows a step is over (workloads/dpdk/dpdk_proc.h):
 *   map MIB   rte_malloc MIB MiB  -> "map ok us=U events=E bytes=B"
 *   unmap     rte_free it         -> "unmap ok us=U events=E bytes=B"
 *   quit      rte_eal_cleanup and exit 0
 * Usage: dpdk-memhp EAL-ARGS... (e.g. -l 0 -a 0000:00:05.0 --in-memory)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_malloc.h>
#include <rte_memory.h>

#define PROMPT "memhp> "

static unsigned int ev_count;
static size_t ev_bytes;

static void on_mem_event(enum rte_mem_event type, const void *addr, size_t len,
			 void *arg)
{
	(void)type;
	(void)addr;
	(void)arg;
	ev_count++;
	ev_bytes += len;
}

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

int main(int argc, char **argv)
{
	char line[128];
	void *chunk = NULL;
	long mib;
	double t;

	if (rte_eal_init(argc, argv) < 0) {
		fprintf(stderr, "dpdk-memhp: cannot init EAL\n");
		return 1;
	}
	if (rte_mem_event_callback_register("invlab-memhp", on_mem_event,
					    NULL)) {
		fprintf(stderr,
			"dpdk-memhp: no memory events (legacy memory mode?): the heap cannot grow or shrink\n");
		rte_eal_cleanup();
		return 1;
	}
	setvbuf(stdout, NULL, _IONBF, 0);
	fputs(PROMPT, stdout);
	while (fgets(line, sizeof(line), stdin)) {
		ev_count = 0;
		ev_bytes = 0;
		if (sscanf(line, "map %ld", &mib) == 1 && mib > 0 && !chunk) {
			t = now_us();
			chunk = rte_malloc("invlab-memhp", (size_t)mib << 20,
					   0);
			t = now_us() - t;
			if (chunk)
				printf("map ok us=%.1f events=%u bytes=%zu\n",
				       t, ev_count, ev_bytes);
			else
				printf("map failed: rte_malloc of %ld MiB: %s\n",
				       mib, rte_strerror(rte_errno));
		} else if (!strcmp(line, "unmap\n") && chunk) {
			t = now_us();
			rte_free(chunk);
			t = now_us() - t;
			chunk = NULL;
			printf("unmap ok us=%.1f events=%u bytes=%zu\n", t,
			       ev_count, ev_bytes);
		} else if (!strcmp(line, "quit\n")) {
			break;
		} else {
			printf("error: '%.*s': expected 'map MIB' (nothing mapped), 'unmap' (after a map) or 'quit'\n",
			       (int)strcspn(line, "\n"), line);
		}
		fputs(PROMPT, stdout);
	}
	rte_free(chunk);
	rte_mem_event_callback_unregister("invlab-memhp", NULL);
	rte_eal_cleanup();
	return 0;
}
