// SPDX-License-Identifier: GPL-2.0
#include "noise_table.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/boots.h"

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The noisy metrics of the run's cells, in name order, each once. */
static void noisy_names(const struct run *r, const struct policy *p,
			struct strv *names)
{
	for (size_t i = 0; i < r->ncells; i++) {
		const struct cell *c = &r->cells[i];

		for (size_t k = 0; k < c->nm; k++) {
			const struct metric_rule *rule =
				policy_rule(p, c->m[k].name);
			bool known = false;

			if (!rule || rule->kind != KIND_NOISY)
				continue;
			for (size_t j = 0; j < names->n && !known; j++)
				known = !strcmp(names->v[j], c->m[k].name);
			if (!known)
				strv_add(names, c->m[k].name);
		}
	}
	if (names->n)
		qsort(names->v, names->n, sizeof(char *), cmp_name);
}

bool cell_noise(const struct cell *c, const char *metric,
		const struct policy *p, struct cell_noise *out)
{
	const struct metric *m = cell_metric(c, metric);
	const struct metric_rule *rule = policy_rule(p, metric);
	double *v;
	int *boot;
	struct samples s;

	memset(out, 0, sizeof(*out));
	if (!m || !rule)
		return false;
	v = xcalloc(m->n + 1, sizeof(double));
	boot = xcalloc(m->n + 1, sizeof(int));
	s = (struct samples){ v, boot, metric_values(m, v, boot), NULL };
	if (s.n) {
		var_components(&s, samples_positive(&s), &out->vc);
		out->windows_per_boot = out->vc.boots ? (s.n + out->vc.boots -
							 1) / out->vc.boots :
							0;
		out->boots_needed =
			boots_to_detect(&out->vc, out->windows_per_boot,
					rule->min_effect, p->alpha, 0.95);
		out->min_effect = rule->min_effect;
	}
	free(v);
	free(boot);
	return s.n > 0;
}

static void pct(FILE *f, double v)
{
	if (isnan(v))
		fprintf(f, "-");
	else
		fprintf(f, "%.1f%%", 100 * v);
}

void noise_section(FILE *f, const struct run *r, const struct policy *p)
{
	struct strv names = { 0 };
	size_t max_boots = 0;

	for (size_t i = 0; i < r->ncells; i++) {
		for (size_t k = 0; k < r->cells[i].nm; k++) {
			const struct metric *m = &r->cells[i].m[k];

			for (size_t w = 0; w < m->n; w++)
				max_boots = (size_t)m->boot[w] > max_boots ?
						    (size_t)m->boot[w] :
						    max_boots;
		}
	}
	noisy_names(r, p, &names);
	fprintf(f, "\n## Boots and noise\n\n");
	if (max_boots < 2)
		fprintf(f,
			"Each cell booted once: the windows of one boot vary less than boots do, so the spread between boots is unknown here. A comparison judges these cells' noisy metrics only over %u or more boots per side (`[suite] boots`), or with a calibration of this lab (`invlab calibrate`); the medians above are not verdicts. Below: how much the windows of a boot vary.\n\n",
			p->min_boots);
	else
		fprintf(f,
			"Noisy metrics vary at two levels: the windows of a boot, and the boots (memory layout, IRQ placement, host load). A comparison judges them over boots. Per cell: CV of windows within a boot / CV between boots, and the boots per side that would detect the policy's minimum effect with 95%% power at this spread (Kalibera and Jones).\n\n");
	if (!names.n) {
		fprintf(f, "No noisy metric in this run.\n");
		strv_free(&names);
		return;
	}
	fprintf(f, "| metric | min effect |");
	for (size_t i = 0; i < r->ncells; i++)
		fprintf(f, " %s |", r->cells[i].id);
	fprintf(f, "\n|---|---:|");
	for (size_t i = 0; i < r->ncells; i++)
		fprintf(f, "---:|");
	fputc('\n', f);
	for (size_t k = 0; k < names.n; k++) {
		const struct metric_rule *rule = policy_rule(p, names.v[k]);

		fprintf(f, "| %s | %.0f%% |", names.v[k],
			100 * rule->min_effect);
		for (size_t i = 0; i < r->ncells; i++) {
			struct cell_noise n;

			if (!cell_noise(&r->cells[i], names.v[k], p, &n)) {
				fprintf(f, " - |");
				continue;
			}
			fputc(' ', f);
			pct(f, n.vc.within);
			fprintf(f, " / ");
			pct(f, n.vc.between);
			if (n.boots_needed)
				fprintf(f, " (%zu boots)", n.boots_needed);
			fprintf(f, " %zux%zu |", n.vc.boots,
				n.windows_per_boot);
		}
		fputc('\n', f);
	}
	fprintf(f,
		"\nEach entry: within / between (boots needed) boots x windows per boot; \"-\" where a level has too few values to tell.\n");
	strv_free(&names);
}
