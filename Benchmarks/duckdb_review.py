#!/usr/bin/env python3
"""The DuckDB baseline of the accessrisk benchmark.

Loads the exports written by `accessrisk generate` (the same files accessrisk reviews) and computes the
equivalent rule counts with SQL: group expansion by a recursive CTE, owner counts through management groups,
stale / never-used / disabled / orphaned / guest access, direct user assignments, expired assignments,
unclassified sensitive data by name pattern, data reach through groups, and the AWS credential rules.
Prints one JSON object: seconds for loading and for the queries, and the count per rule.

    python3 duckdb_review.py EXPORTS_DIR AS_OF [--threads N]
"""
import json
import sys
import time

import duckdb

exports, as_of = sys.argv[1], sys.argv[2]
threads = int(sys.argv[sys.argv.index("--threads") + 1]) if "--threads" in sys.argv else 2
con = duckdb.connect()
con.execute(f"SET threads = {threads}")
t0 = time.perf_counter()
q = lambda sql: con.execute(sql)
csv = lambda path, extra="": f"read_csv('{exports}/{path}', header=true, all_varchar=true{extra})"

q(f"""CREATE TABLE ps AS SELECT * FROM {csv('azure/role-assignments.csv', ", skip=1")}""")
q(f"""CREATE TABLE native AS SELECT * FROM {csv('azure/assignments-native.csv')}""")
q(f"""CREATE TABLE az AS SELECT * FROM read_json('{exports}/azure/az-role-assignment-list.json', format='array')""")
q(f"""CREATE TABLE users AS SELECT * FROM {csv('entra/users.csv')}""")
q(f"""CREATE TABLE sps AS SELECT * FROM {csv('entra/service-principals.csv')}""")
q(f"""CREATE TABLE members AS SELECT lower(GroupId) g, lower(MemberId) m FROM {csv('entra/group-members.csv')}""")
q(f"""CREATE TABLE hier AS SELECT lower(scope) s, lower(parent_scope) p FROM {csv('azure/management-groups.csv')}""")
q(f"""CREATE TABLE sqlcols AS SELECT * FROM {csv('data/sql-classification.csv')}""")
q(f"""CREATE TABLE assets AS SELECT * FROM {csv('data/assets.csv')}""")
q(f"""CREATE TABLE aws AS SELECT * FROM {csv('aws/credential-report.csv')}""")
q(f"""CREATE TABLE roles AS SELECT * FROM read_json('{exports}/azure/custom-roles.json', format='array', columns={{'name': 'VARCHAR', 'roleName': 'VARCHAR'}})""")
q("""
CREATE TABLE a AS
SELECT lower(ObjectId) pid, lower(ObjectType) ptype, lower(RoleDefinitionId) rid, RoleDefinitionName role,
       lower(rtrim(Scope, '/')) scope, 'active' kind, NULL::DATE end_on, Condition cond FROM ps
UNION ALL
SELECT lower(principal_id), lower(principal_type), lower(role_id), role_name, lower(rtrim(scope, '/')),
       assignment_type, TRY_CAST(end_on AS DATE), condition FROM native
UNION ALL
SELECT lower(principalId::VARCHAR), 'serviceprincipal', lower(split_part(roleDefinitionId, '/', -1)), roleDefinitionName,
       lower(rtrim(scope, '/')), 'active', NULL, condition FROM az
""")
q(f"""
CREATE TABLE u AS SELECT lower(Id) id, UserType = 'Guest' guest, AccountEnabled = 'True' enabled,
  strptime(CreatedDateTime, '%m/%d/%Y %I:%M:%S %p') created, ExternalUserState state,
  greatest(TRY_CAST("SignInActivity.LastSignInDateTime" AS TIMESTAMP),
           TRY_CAST("SignInActivity.LastNonInteractiveSignInDateTime" AS TIMESTAMP)) last
FROM users""")
load = time.perf_counter() - t0

t1 = time.perf_counter()
counts = {}
def count(rule, sql):
    counts[rule] = con.execute(sql).fetchone()[0]

# Transitive group membership (cycles tolerated by UNION), then effective grants of every non-group principal.
q("""
CREATE TABLE closure AS
WITH RECURSIVE c(g, m) AS (SELECT g, m FROM members UNION SELECT c.g, members.m FROM c JOIN members ON members.g = c.m)
SELECT g, m FROM c WHERE m NOT IN (SELECT g FROM members)""")
q("""
CREATE TABLE eff AS
SELECT pid, rid, role, scope, kind, end_on, cond, FALSE via FROM a WHERE ptype <> 'group'
UNION
SELECT closure.m, rid, role, scope, kind, end_on, cond, TRUE FROM a JOIN closure ON closure.g = a.pid
WHERE a.ptype = 'group'""")
q("""CREATE TABLE anc AS WITH RECURSIVE x(s, p) AS (SELECT s, p FROM hier UNION SELECT x.s, hier.p FROM x
     JOIN hier ON hier.s = x.p) SELECT * FROM x""")
subs = "SELECT DISTINCT '/subscriptions/' || split_part(scope, '/', 3) sub FROM a WHERE scope LIKE '/subscriptions/%'"
owners = f"""
SELECT s.sub, count(DISTINCT e.pid) n FROM ({subs}) s
LEFT JOIN eff e ON e.rid = '8e3af657-a8ff-443c-a75c-2fe8c4bcb635' AND e.kind = 'active'
  AND (e.scope = s.sub OR e.scope = '/' OR e.scope IN (SELECT p FROM anc WHERE anc.s = s.sub))
  AND e.pid IN (SELECT id FROM u WHERE enabled)
GROUP BY s.sub"""
count("too-many-subscription-owners", f"SELECT count(*) FROM ({owners}) WHERE n > 3")
count("single-subscription-owner", f"SELECT count(*) FROM ({owners}) WHERE n < 2")
stale = f"TIMESTAMP '{as_of}' - INTERVAL 90 DAY"
count("stale-account-access", f"""SELECT count(*) FROM (SELECT DISTINCT e.pid, e.rid, e.scope FROM eff e
  JOIN u ON u.id = e.pid WHERE u.enabled AND u.last IS NOT NULL AND u.last < {stale})""")
count("never-used-account-access", f"""SELECT count(*) FROM (SELECT DISTINCT e.pid, e.rid, e.scope FROM eff e
  JOIN u ON u.id = e.pid WHERE u.enabled AND u.last IS NULL AND u.created < TIMESTAMP '{as_of}' - INTERVAL 30 DAY
  AND NOT u.guest)""")
count("disabled-account-access", """SELECT count(*) FROM (SELECT DISTINCT e.pid, e.rid, e.scope FROM eff e
  JOIN u ON u.id = e.pid WHERE NOT u.enabled)""")
count("orphaned-assignment", """SELECT count(*) FROM a WHERE ptype = 'unknown'
  OR (ptype = 'user' AND pid NOT IN (SELECT id FROM u))""")
count("pending-guest-access", """SELECT count(*) FROM (SELECT DISTINCT e.pid, e.rid, e.scope FROM eff e
  JOIN u ON u.id = e.pid WHERE u.guest AND u.state = 'PendingAcceptance')""")
count("guest-access", """SELECT count(*) FROM (SELECT DISTINCT e.pid, e.rid, e.scope FROM eff e JOIN u ON u.id = e.pid
  WHERE u.guest AND e.rid NOT IN ('8e3af657-a8ff-443c-a75c-2fe8c4bcb635', 'b24988ac-6180-42a0-ab88-20f7382dd24c',
  '18d7d88d-d35e-4fb5-a5c3-7773c20a72d9', 'f58310d9-a9f6-439a-9e8d-f62e7b41a168'))""")
count("expired-assignment", f"SELECT count(*) FROM a WHERE end_on < DATE '{as_of}'")
count("direct-user-assignments", f"""SELECT count(*) FROM (SELECT s.sub FROM ({subs}) s JOIN a ON a.ptype = 'user'
  AND (a.scope = s.sub OR a.scope = '/' OR a.scope IN (SELECT p FROM anc WHERE anc.s = s.sub))
  GROUP BY s.sub HAVING count(*) > 5)""")
count("privileged-role-broad-scope", """SELECT count(*) FROM eff WHERE (scope = '/' OR scope LIKE
  '/providers/microsoft.management/managementgroups/%') AND rid IN ('8e3af657-a8ff-443c-a75c-2fe8c4bcb635',
  'b24988ac-6180-42a0-ab88-20f7382dd24c', '18d7d88d-d35e-4fb5-a5c3-7773c20a72d9',
  'f58310d9-a9f6-439a-9e8d-f62e7b41a168')""")
count("unused-custom-role", "SELECT count(*) FROM roles WHERE lower(name) NOT IN (SELECT rid FROM a)")
count("unclassified-sensitive-data", """SELECT count(*) FROM (
  SELECT name, label FROM assets UNION ALL SELECT ColumnName, SensitivityLabel FROM sqlcols)
  WHERE coalesce(label, '') = '' AND regexp_matches(lower(name),
  'email|e-mail|phone|password|pwd|first.?name|last.?name|surname|passport|ssn|social.?security|birth|card|iban|salary')""")
count("broad-reach-sensitive-data", """SELECT count(*) FROM (SELECT x.resource_id FROM assets x
  JOIN eff e ON lower(x.resource_id) = e.scope OR lower(x.resource_id) LIKE e.scope || '/%'
  WHERE x.label LIKE 'Highly Confidential%' AND e.rid IN ('2a2b9908-6ea1-4ae2-8e65-a410df84e7d1',
  '8e3af657-a8ff-443c-a75c-2fe8c4bcb635', 'b24988ac-6180-42a0-ab88-20f7382dd24c')
  GROUP BY x.resource_id HAVING count(DISTINCT e.pid) > 25)""")
count("aws-root-access-key", "SELECT count(*) FROM aws WHERE \"user\" = '<root_account>' AND access_key_1_active = 'true'")
count("aws-console-user-without-mfa", """SELECT count(*) FROM aws WHERE "user" <> '<root_account>'
  AND password_enabled = 'true' AND mfa_active = 'false'""")
count("aws-access-key-not-rotated", f"""SELECT count(*) FROM aws WHERE access_key_1_active = 'true'
  AND TRY_CAST(access_key_1_last_rotated AS TIMESTAMPTZ) < TIMESTAMPTZ '{as_of}' - INTERVAL 90 DAY""")
queries = time.perf_counter() - t1
print(json.dumps({"load_seconds": round(load, 3), "query_seconds": round(queries, 3),
                  "total_seconds": round(load + queries, 3), "counts": counts}, indent=2, sort_keys=True))
