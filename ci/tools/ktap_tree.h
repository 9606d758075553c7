/* ktap_tree.h - follows the nesting of KTAP documents in a stream and turns
 * each result into a verdict (ktap_results.h).
 *
 * Runner mode (default): every top-level document is a runner document
 * (ci/guest/run-tests) whose results are test programs; each program's own
 * output is a document nested two spaces deeper, whose results are the leaf
 * tests. Flat mode: every top-level document is one program's output.
 *
 * Diagnostics understood (written by ci/guest/run-tests):
 *   "# devns-section: L"   at column 0: label of the next top-level document
 *   "# Subtest: NAME"      names the nested document that follows (or the
 *                          current one, when it has no result yet)
 *   "# devns-time: SECS"   at column 0: duration of the next program result
 * A result directive containing "taint gained" marks a program during which
 * the kernel taint gained W or D. */
#ifndef DEVNS_CI_KTAP_TREE_H
#define DEVNS_CI_KTAP_TREE_H

struct tree_options {
	const char *label;        /* default section label ("" for none) */
	const char *flat_program; /* non-NULL: flat mode, this program name */
};

void tree_init(const struct tree_options *opts);
/* Feeds one line (newline stripped); the line may be modified. */
void tree_feed(char *line);
/* End of the stream: whatever is still open is cut short (CRASH). */
void tree_finish(void);

#endif
