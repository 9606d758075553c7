# kcidb-rules.jq: what KCIDB (schema 5.3, kcidb-io v05_03) requires of a
# submission, in our own words: prints one line per violation, nothing if
# the document keeps every rule checked here.  jq -r -f kcidb-rules.jq DOC
def allowed($keys): keys - $keys;
def idpat: test("^[a-z0-9_]+:[^\u0000]*$");
def statuses: ["FAIL", "ERROR", "MISS", "PASS", "DONE", "SKIP"];
def common($kind; $keys; $required):
	(allowed($keys)[] | "\($kind) \(.): not a field of a \($kind)"),
	($required[] as $r | select(has($r) | not) | "\($kind): no \($r)"),
	(select(has("origin") and (.origin | test("^[a-z0-9_]+$") | not)) | "\($kind) origin \(.origin): not [a-z0-9_]+"),
	(select(has("id") and (.id | idpat | not)) | "\($kind) id \(.id): not ORIGIN:ID");

(. as $doc | [paths(. == null)] | map(map(tostring) | join("."))[] | "null at \(.)"),
(allowed(["version", "checkouts", "builds", "tests", "issues", "incidents"])[] | "top level \(.): unknown"),
(select(.version != {"major": 5, "minor": 3}) | "version: not 5.3"),
([.checkouts[]?.id] as $cids | [.builds[]?.id] as $bids |
 (.checkouts[]? | common("checkout";
	["id", "origin", "tree_name", "git_repository_url", "git_commit_hash", "git_commit_name",
	 "git_repository_branch", "patchset_hash", "patchset_files", "message_id", "start_time",
	 "valid", "misc"]; ["id", "origin"]),
	(select(has("git_commit_hash") and (.git_commit_hash | test("^[0-9a-f]{40}$") | not)) | "checkout commit \(.git_commit_hash): not 40 hex")),
 (.builds[]? | common("build";
	["checkout_id", "id", "origin", "comment", "start_time", "duration", "architecture",
	 "command", "compiler", "input_files", "output_files", "config_name", "config_url",
	 "log_url", "log_excerpt", "misc", "status"]; ["checkout_id", "id", "origin"]),
	(select(.checkout_id as $c | $cids | index($c) | not) | "build \(.id): no checkout \(.checkout_id)"),
	(select(has("status") and (.status as $s | statuses | index($s) | not)) | "build \(.id) status \(.status): unknown")),
 (.tests[]? | common("test";
	["build_id", "id", "origin", "environment", "path", "comment", "log_url", "log_excerpt",
	 "status", "number", "start_time", "duration", "output_files", "input_files", "misc"];
	["build_id", "id", "origin"]),
	(select(.build_id as $b | $bids | index($b) | not) | "test \(.id): no build \(.build_id)"),
	(select(has("status") and (.status as $s | statuses | index($s) | not)) | "test \(.id) status \(.status): unknown"),
	(select(has("path") and (.path | test("^([a-zA-Z0-9_-]+([.][a-zA-Z0-9_-]+)*)?$") | not)) | "test \(.id) path \(.path): not dotted [a-zA-Z0-9_-] levels"),
	(select(has("log_excerpt") and (.log_excerpt | length) > 16384) | "test \(.id): log_excerpt over 16384"),
	(select(has("environment")) | .environment | allowed(["comment", "compatible", "misc"])[] | "test environment \(.): unknown")),
 ([.checkouts[]?.id, .builds[]?.id, .tests[]?.id] | group_by(.) | map(select(length > 1))[] | "id \(.[0]): not unique"))
