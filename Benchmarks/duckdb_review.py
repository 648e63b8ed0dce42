#!/usr/bin/env python3
"""The DuckDB baseline of the accessrisk benchmark.

Loads the exports written by `accessrisk generate` (the same files accessrisk reviews) and computes the counts of
all 40 rules of SPEC §4 that one cycle's exports evaluate (the three review follow-through rules need the previous
cycle and the decision log), each with SQL equivalent to the rule as SPEC §3 and §4 define it:

- the model of SPEC §3: group expansion by a recursive CTE (cycles tolerated), effective grants of every non-group
  principal, scope coverage through path prefixes, root and the management-group hierarchy, role capabilities from
  the shipped built-in role catalogue and, for custom roles, from their actions / notActions / dataActions (glob
  matching), and the effective label of every asset from the shipped classification policy (label taxonomy,
  recommended labels, name patterns, scanner information types);
- over-privilege (owner counts, broad / guest / service-principal / standing / credential / redundant assignments,
  access administrators without a condition, custom roles, Global Administrator count, large groups), stale and
  orphaned access, sensitive data (unclassified, under-classified, credentials, no owner, public), identity × data
  reach (service-aware, scopes covering each sensitive resource looked up by equality, never a cross product) and the
  AWS credential-report rules.

Prints one JSON object: seconds for loading and for the queries, and the count per rule.

    python3 duckdb_review.py EXPORTS_DIR AS_OF [--threads N] [--profile]

`--profile` writes the seconds of each step to stderr.
"""
import json
import os
import sys
import time

import duckdb

exports, as_of = sys.argv[1], sys.argv[2]
threads = int(sys.argv[sys.argv.index("--threads") + 1]) if "--threads" in sys.argv else 2
profile = "--profile" in sys.argv
# The resources accessrisk ships (built-in role catalogue, SQL classification policy and name patterns).
resources = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Sources", "AccessRiskModel", "Resources")
con = duckdb.connect()
con.execute(f"SET threads = {threads}")
con.execute("SET TimeZone = 'UTC'")  # ages are counted in UTC calendar days, as accessrisk counts them
t0 = time.perf_counter()
step_start = [t0]


def q(sql):
    return con.execute(sql)


def step(name):
    if profile:
        now = time.perf_counter()
        rss = [line.split()[1] for line in open("/proc/self/status") if line.startswith(("VmRSS", "VmHWM"))]
        print(f"{now - step_start[0]:8.3f}  {name}  (rss/peak MB {int(rss[1]) // 1024}/{int(rss[0]) // 1024})",
              file=sys.stderr)
        step_start[0] = now


csv = lambda path, extra="": f"read_csv('{exports}/{path}', header=true, all_varchar=true{extra})"
columns = lambda table: {r[0] for r in con.execute(f"DESCRIBE {table}").fetchall()}

# Well-known built-in role GUIDs (SPEC §3.3, reference/detection-rules.md §0.1).
OWNER = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635"
USER_ACCESS_ADMINISTRATOR = "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9"
RBAC_ADMINISTRATOR = "f58310d9-a9f6-439a-9e8d-f62e7b41a168"
GLOBAL_ADMINISTRATOR = "62e90394-69f5-4237-9190-012177145e10"
# Thresholds (SPEC §4 defaults).
STALE_DAYS, NEVER_USED_DAYS, AWS_UNUSED_DAYS, AWS_ROTATION_DAYS = 90, 30, 45, 90
SENSITIVE_TIER, HIGHLY_CONFIDENTIAL_TIER = 2, 3

# Scope helpers (SPEC §3.2): key (lower-case, trailing '/' ignored, '' is root), level, subscription scope.
q("CREATE MACRO sk(s) AS coalesce(nullif(rtrim(lower(trim(s)), '/'), ''), '/')")
q("""CREATE MACRO lvl(s) AS CASE
  WHEN s = '/' THEN 'root'
  WHEN s = '/directory' OR starts_with(s, '/directory/') THEN 'directory'
  WHEN starts_with(s, '/providers/microsoft.management/managementgroups/') AND len(string_split(s, '/')) = 5
    THEN 'management_group'
  WHEN starts_with(s, '/subscriptions/') AND len(string_split(s, '/')) = 3 THEN 'subscription'
  WHEN starts_with(s, '/subscriptions/') AND len(string_split(s, '/')) = 5 AND split_part(s, '/', 4) = 'resourcegroups'
    THEN 'resource_group'
  WHEN starts_with(s, '/subscriptions/') THEN 'resource'
  ELSE 'other' END""")
q("""CREATE MACRO subof(s) AS CASE WHEN starts_with(s, '/subscriptions/') AND split_part(s, '/', 3) <> ''
  THEN '/subscriptions/' || split_part(s, '/', 3) END""")
# Label and information-type comparison key (SensitivityLabel.key): lower-case letters and digits only.
q("CREATE MACRO lk(s) AS regexp_replace(lower(s), '[^\\p{L}\\p{N}]', '', 'g')")
# Booleans and "no value" cells (SPEC §2.4).
q("CREATE MACRO boolv(s) AS CASE WHEN lower(trim(s)) IN ('true', 'yes', '1') THEN TRUE "
  "WHEN lower(trim(s)) IN ('false', 'no', '0') THEN FALSE END")
# The GUID of a role definition id (its last path segment), lower-cased.
q("CREATE MACRO guid(s) AS coalesce(lower(split_part(trim(s), '/', -1)), '')")
q("CREATE MACRO novalue(s) AS coalesce(lower(trim(s)), '') IN ('', 'n/a', 'none', 'null', 'no_information', "
  "'not_supported')")

# --- Inputs -------------------------------------------------------------------------------------------------------
q(f"""CREATE TABLE ps AS SELECT * FROM {csv('azure/role-assignments.csv', ", skip=1")}""")
q(f"""CREATE TABLE native AS SELECT * FROM {csv('azure/assignments-native.csv')}""")
q(f"""CREATE TABLE az AS SELECT * FROM read_json('{exports}/azure/az-role-assignment-list.json', format='array')""")
q(f"""CREATE TABLE users AS SELECT * FROM {csv('entra/users.csv')}""")
q(f"""CREATE TABLE sps AS SELECT * FROM {csv('entra/service-principals.csv')}""")
q(f"""CREATE TABLE members AS SELECT lower(GroupId) g, lower(MemberId) m,
  CASE WHEN lower(MemberType) LIKE '%group%' THEN 'group' WHEN lower(MemberType) LIKE '%serviceprincipal%'
       THEN 'serviceprincipal' WHEN lower(MemberType) LIKE '%user%' THEN 'user' END mtype
  FROM {csv('entra/group-members.csv')}""")
q(f"""CREATE TABLE hier AS SELECT sk(scope) s, sk(parent_scope) p FROM {csv('azure/management-groups.csv')}""")
q(f"""CREATE TABLE sqlcols AS SELECT * FROM {csv('data/sql-classification.csv')}""")
q(f"""CREATE TABLE assets AS SELECT * FROM {csv('data/assets.csv')}""")
q(f"""CREATE TABLE aws AS SELECT * FROM {csv('aws/credential-report.csv')}""")
q(f"""CREATE TABLE classic AS SELECT * FROM {csv('azure/AzGovViz_mg-root_ClassicAdministrators.csv')}""")
q(f"""CREATE TABLE roles AS SELECT * FROM read_json('{exports}/azure/custom-roles.json', format='array',
  columns={{'name': 'VARCHAR', 'roleName': 'VARCHAR', 'roleType': 'VARCHAR', 'permissions':
  'STRUCT(actions VARCHAR[], notActions VARCHAR[], dataActions VARCHAR[], notDataActions VARCHAR[])[]'}})""")
# Shipped resources: the built-in role catalogue and the SQL classification policy.
q(f"""CREATE TABLE builtin AS SELECT r.* FROM (SELECT unnest(roles) r
  FROM read_json('{resources}/builtin-roles.json'))""")
q(f"""CREATE TABLE policy AS SELECT * FROM read_csv('{resources}/classification/sql-classification-default-policy.csv',
  header=true, all_varchar=true)""")
q(f"""CREATE TABLE patterns AS SELECT * FROM read_csv(
  '{resources}/classification/sql-classification-keyword-patterns.csv', header=true, all_varchar=true)""")
step("read files")

# Principals (SPEC §3.1): guests by user type or #EXT# UPN; last activity = latest sign-in of any kind.
user_signins = [c for c in ("SignInActivity.LastSignInDateTime", "SignInActivity.LastNonInteractiveSignInDateTime",
                            "SignInActivity.LastSuccessfulSignInDateTime") if c in columns("users")]
sp_signins = [c for c in ("LastSignInDateTime", "LastNonInteractiveSignInDateTime", "LastSuccessfulSignInDateTime")
              if c in columns("sps")]
latest = lambda cols: ("greatest(" + ", ".join(f'TRY_CAST("{c}" AS TIMESTAMP)' for c in cols) + ")") if cols else "NULL"
q(f"""
CREATE TABLE u AS SELECT lower(Id) id, lower(UserType) = 'guest' OR UserPrincipalName ILIKE '%#EXT#%' guest,
  boolv(AccountEnabled) enabled,
  coalesce(try_strptime(CreatedDateTime, '%m/%d/%Y %I:%M:%S %p'), TRY_CAST(CreatedDateTime AS TIMESTAMP)) created,
  ExternalUserState state, {latest(user_signins)} last, {bool(user_signins)} has_signin
FROM users""")
# The directory: users and workload identities (an export's sign-in columns are its sign-in data).
q(f"""
CREATE TABLE p AS
SELECT id, 'user' type, guest, enabled, created, state, last, has_signin FROM u
UNION ALL
SELECT lower(Id), CASE WHEN lower(ServicePrincipalType) = 'managedidentity' THEN 'managedidentity'
  ELSE 'serviceprincipal' END, FALSE, boolv(AccountEnabled),
  {'TRY_CAST(CreatedDateTime AS TIMESTAMP)' if 'CreatedDateTime' in columns('sps') else 'NULL::TIMESTAMP'}, NULL,
  {latest(sp_signins)}, {bool(sp_signins)} FROM sps""")

# Role capabilities (SPEC §3.3). Built-in roles from the shipped catalogue; custom roles from their effective
# actions: actions matched as case-insensitive globs minus notActions.
q("""
CREATE TABLE perm AS
WITH d AS (SELECT lower(trim(name)) id, unnest(permissions) p FROM roles)
SELECT * FROM (
  SELECT id, 'action' k, lower(trim(unnest(p.actions))) pat FROM d
  UNION ALL SELECT id, 'not_action', lower(trim(unnest(p.notActions))) FROM d
  UNION ALL SELECT id, 'data_action', lower(trim(unnest(p.dataActions))) FROM d
  UNION ALL SELECT id, 'not_data_action', lower(trim(unnest(p.notDataActions))) FROM d)
WHERE coalesce(pat, '') <> ''""")
# Concrete actions that decide a capability: grant access, list keys (each opens its provider's data), read secrets.
q("""
CREATE TABLE probe AS
SELECT r.id, x.action, x.what FROM (SELECT DISTINCT lower(trim(name)) id FROM roles) r, (VALUES
  ('microsoft.authorization/roleassignments/write', 'grant'),
  ('microsoft.authorization/roledefinitions/write', 'grant'),
  ('microsoft.authorization/elevateaccess/action', 'grant'),
  ('microsoft.storage/storageaccounts/listkeys/action', 'keys'),
  ('microsoft.documentdb/databaseaccounts/listkeys/action', 'keys'),
  ('microsoft.cache/redis/listkeys/action', 'keys'),
  ('microsoft.eventhub/namespaces/authorizationrules/listkeys/action', 'keys'),
  ('microsoft.servicebus/namespaces/authorizationrules/listkeys/action', 'keys'),
  ('microsoft.search/searchservices/listadminkeys/action', 'keys'),
  ('microsoft.cognitiveservices/accounts/listkeys/action', 'keys'),
  ('microsoft.web/sites/config/list/action', 'keys'),
  ('microsoft.keyvault/vaults/secrets/getsecret/action', 'secrets'),
  ('microsoft.keyvault/vaults/secrets/readmetadata/action', 'secrets')) x(action, what)
UNION
SELECT id, pat, 'keys' FROM perm WHERE k = 'action' AND pat LIKE '%listkeys%' AND pat NOT LIKE '%*%'""")
q("""
CREATE TABLE allowed AS SELECT pr.* FROM probe pr
WHERE EXISTS (SELECT 1 FROM perm WHERE perm.id = pr.id AND pr.action GLOB perm.pat
              AND perm.k = CASE pr.what WHEN 'secrets' THEN 'data_action' ELSE 'action' END)
  AND NOT EXISTS (SELECT 1 FROM perm WHERE perm.id = pr.id AND pr.action GLOB perm.pat
              AND perm.k = CASE pr.what WHEN 'secrets' THEN 'not_data_action' ELSE 'not_action' END)""")
q("""
CREATE TABLE ccaps AS
WITH f AS (
  SELECT r.id, r.name,
    EXISTS (SELECT 1 FROM perm x WHERE x.id = r.id AND x.k = 'action' AND x.pat = '*') star,
    EXISTS (SELECT 1 FROM perm x WHERE x.id = r.id AND x.k = 'not_action') has_not,
    EXISTS (SELECT 1 FROM allowed x WHERE x.id = r.id AND x.action = 'microsoft.authorization/roleassignments/write')
      writes_assignments,
    EXISTS (SELECT 1 FROM allowed x WHERE x.id = r.id AND x.what = 'grant') can_grant,
    EXISTS (SELECT 1 FROM allowed x WHERE x.id = r.id AND x.what = 'keys') lists_keys,
    EXISTS (SELECT 1 FROM allowed x WHERE x.id = r.id AND x.what = 'secrets') reads_secrets,
    EXISTS (SELECT 1 FROM perm x WHERE x.id = r.id AND x.k = 'data_action') has_data,
    EXISTS (SELECT 1 FROM perm x WHERE x.id = r.id AND x.k IN ('action', 'data_action') AND x.pat LIKE '%*%') wildcard,
    (SELECT list(DISTINCT split_part(pat, '/', 1)) FROM (
       SELECT pat FROM perm x WHERE x.id = r.id AND x.k = 'data_action'
       UNION ALL SELECT action FROM allowed x WHERE x.id = r.id AND x.what = 'keys')) providers
  FROM (SELECT lower(trim(name)) id, any_value(roleName) name FROM roles
        WHERE coalesce(lower(roleType), 'customrole') <> 'builtinrole' GROUP BY 1) r)
SELECT id, name, TRUE known, star OR writes_assignments privileged, can_grant,
  has_data OR lists_keys OR star OR writes_assignments reaches_data,
  star OR writes_assignments
    OR coalesce(list_bool_or(list_transform(providers, lambda x: x = '' OR x LIKE '%*%')), FALSE) all_data,
  list_filter(coalesce(providers, []), lambda x: x <> '' AND x NOT LIKE '%*%') providers,
  NOT (star OR writes_assignments) AND (lists_keys OR reads_secrets) credential,
  star AND NOT has_not owner_eq, wildcard, TRUE custom
FROM f""")
q("""
CREATE TABLE caps AS
SELECT lower(id::VARCHAR) id, name, TRUE known, privileged, can_grant_access can_grant, reaches_data,
  reaches_all_data all_data, data_providers providers, credential_access credential, owner_equivalent owner_eq,
  FALSE wildcard, FALSE custom FROM builtin
UNION ALL SELECT * FROM ccaps WHERE id NOT IN (SELECT lower(id::VARCHAR) FROM builtin)""")

# Assignments of every format, with the role resolved (by GUID, by name when the input gives no id) and what it allows.
q("""
CREATE TABLE a0 AS
SELECT lower(ObjectId) pid, replace(lower(ObjectType), '_', '') ptype, guid(RoleDefinitionId) rid,
       RoleDefinitionName role, Scope scope, 'active' kind, NULL::DATE end_on, Condition cond, SignInName upn FROM ps
UNION ALL
SELECT lower(principal_id), replace(lower(principal_type), '_', ''), guid(role_id), role_name, scope,
       lower(assignment_type), TRY_CAST(end_on AS DATE), condition, principal_upn FROM native
UNION ALL
SELECT lower(principalId::VARCHAR), replace(lower(principalType), '_', ''), guid(roleDefinitionId),
       roleDefinitionName, scope, 'active', NULL, condition, NULL FROM az""")
q("""
CREATE TABLE rolekeys AS
WITH names AS (SELECT lower(name) n, min(id) id FROM caps GROUP BY 1)
SELECT r.rid, r.role, CASE WHEN r.rid <> '' THEN r.rid ELSE coalesce(names.id, lower(r.role)) END rkey
FROM (SELECT DISTINCT rid, role FROM a0) r LEFT JOIN names ON r.rid = '' AND names.n = lower(r.role)""")
q("""
CREATE TABLE a AS
SELECT row_number() OVER () aid, x.pid, x.ptype, x.rid, x.role, sk(x.scope) scope, lvl(sk(x.scope)) lvl,
  subof(sk(x.scope)) sub, x.kind, x.end_on, x.cond, x.upn, k.rkey, coalesce(c.known, FALSE) known,
  coalesce(c.privileged, FALSE) privileged, coalesce(c.can_grant, FALSE) can_grant,
  coalesce(c.reaches_data, FALSE) reaches_data, coalesce(c.all_data, FALSE) all_data, c.providers,
  coalesce(c.credential, FALSE) credential, coalesce(c.custom, FALSE) custom
FROM a0 x JOIN rolekeys k ON k.rid = x.rid AND k.role IS NOT DISTINCT FROM x.role
LEFT JOIN caps c ON c.id = k.rkey""")
# The raw exports are not needed any more.
q("DROP TABLE a0; DROP TABLE ps; DROP TABLE native; DROP TABLE az")
step("load model")
load = time.perf_counter() - t0

t1 = time.perf_counter()
counts = {}


def count(rule, sql):
    counts[rule] = con.execute(sql).fetchone()[0]
    step(rule)


# Transitive group membership (cycles tolerated by UNION), then effective grants of every non-group principal:
# (holder, assignment, through a group or not). A grant is identified by holder, role and scope.
q("""
CREATE TABLE closure AS
WITH RECURSIVE c(g, m) AS (SELECT g, m FROM members UNION SELECT c.g, members.m FROM c JOIN members ON members.g = c.m)
SELECT g, m FROM c WHERE m NOT IN (SELECT g FROM members)
  AND m NOT IN (SELECT m FROM members WHERE mtype = 'group')""")
q("""
CREATE TABLE eff AS
SELECT pid, aid, FALSE via FROM a WHERE ptype IS DISTINCT FROM 'group'
UNION ALL
SELECT closure.m, a.aid, TRUE FROM a JOIN closure ON closure.g = a.pid WHERE a.ptype = 'group'""")
q("""CREATE TABLE anc AS WITH RECURSIVE x(s, p) AS (SELECT s, p FROM hier UNION SELECT x.s, hier.p FROM x
     JOIN hier ON hier.s = x.p) SELECT * FROM x""")
# The type of a grant's holder: the directory's, else the membership input's, else (direct) the assignment's.
q("CREATE TABLE mtypes AS SELECT m id, any_value(mtype) type FROM members WHERE mtype IS NOT NULL GROUP BY m")
holder_type = "coalesce(p.type, mt.type, CASE WHEN NOT e.via THEN a.ptype END)"
holder_joins = "LEFT JOIN p ON p.id = e.pid LEFT JOIN mtypes mt ON mt.id = e.pid"
guest = "(coalesce(p.guest, FALSE) OR (NOT e.via AND coalesce(a.upn, '') ILIKE '%#EXT#%'))"
step("closure, effective grants")

# Every subscription the inputs mention, with the scopes covering it: itself, root and the management groups above it.
q("""
CREATE TABLE subcover AS
WITH subs AS (SELECT DISTINCT sub FROM a WHERE sub IS NOT NULL UNION SELECT s FROM hier WHERE lvl(s) = 'subscription')
SELECT sub, sub cs FROM subs UNION SELECT sub, '/' FROM subs
UNION SELECT subs.sub, anc.p FROM subs JOIN anc ON anc.s = subs.sub""")
# Distinct principals holding Owner (by GUID, active, not expired) at a covering scope; disabled and orphaned
# principals (absent from the directory) cannot act as owners.
owners = f"""
SELECT c.sub, count(DISTINCT x.pid) n FROM subcover c
LEFT JOIN (SELECT e.pid, a.scope FROM eff e JOIN a USING (aid) JOIN p ON p.id = e.pid
           WHERE a.rkey = '{OWNER}' AND a.kind = 'active' AND (a.end_on IS NULL OR a.end_on >= DATE '{as_of}')
             AND p.enabled IS NOT FALSE) x ON x.scope = c.cs
GROUP BY c.sub"""
count("too-many-subscription-owners", f"SELECT count(*) FROM ({owners}) WHERE n > 3")
count("single-subscription-owner", f"SELECT count(*) FROM ({owners}) WHERE n < 2")
stale = f"TIMESTAMP '{as_of}' - INTERVAL {STALE_DAYS} DAY"
grants = lambda where, joins="": f"""SELECT count(*) FROM (SELECT DISTINCT e.pid, a.rkey, a.scope FROM eff e
  JOIN a USING (aid) {joins} WHERE {where})"""
count("stale-account-access", grants(f"u.enabled AND u.last IS NOT NULL AND u.last < {stale}",
                                     "JOIN u ON u.id = e.pid"))
count("never-used-account-access", grants(
    f"u.enabled AND u.has_signin AND u.last IS NULL "
    f"AND u.created < TIMESTAMP '{as_of}' - INTERVAL {NEVER_USED_DAYS} DAY", "JOIN u ON u.id = e.pid"))
count("disabled-account-access", grants("NOT p.enabled", "JOIN p ON p.id = e.pid"))
count("orphaned-assignment", """SELECT count(*) FROM a
  WHERE (ptype = 'unknown' AND pid NOT IN (SELECT id FROM p WHERE id IS NOT NULL))
  OR (ptype = 'user' AND pid NOT IN (SELECT id FROM p WHERE type = 'user'))
  OR (ptype IN ('serviceprincipal', 'managedidentity')
      AND pid NOT IN (SELECT id FROM p WHERE type IN ('serviceprincipal', 'managedidentity')))""")
count("pending-guest-access", grants("u.guest AND u.state ILIKE '%pending%'", "JOIN u ON u.id = e.pid"))
count("guest-access", grants(f"NOT (a.privileged OR a.can_grant) AND {guest}", holder_joins))
count("guest-privileged-access", grants(f"(a.privileged OR a.can_grant) AND {guest}", holder_joins))
count("expired-assignment", f"SELECT count(*) FROM a WHERE end_on < DATE '{as_of}'")
count("direct-user-assignments", """SELECT count(*) FROM (SELECT c.sub FROM subcover c JOIN a ON a.scope = c.cs
  LEFT JOIN p ON p.id = a.pid WHERE coalesce(p.type, a.ptype) = 'user' GROUP BY c.sub HAVING count(*) > 5)""")
count("privileged-role-broad-scope", "SELECT count(*) FROM a WHERE lvl IN ('root', 'management_group') AND privileged")
count("service-principal-privileged", grants(
    f"a.privileged AND a.lvl IN ('root', 'management_group', 'subscription', 'resource_group') "
    f"AND {holder_type} IN ('serviceprincipal', 'managedidentity')", holder_joins))
count("standing-privileged-access", grants(
    f"EXISTS (SELECT 1 FROM a WHERE kind = 'eligible') AND a.kind = 'active' AND a.end_on IS NULL AND a.privileged "
    f"AND {holder_type} = 'user'", holder_joins))
count("unconstrained-access-administrator", f"""SELECT count(*) FROM a
  WHERE (rkey IN ('{USER_ACCESS_ADMINISTRATOR}', '{RBAC_ADMINISTRATOR}') OR (custom AND can_grant))
    AND coalesce(trim(cond), '') = ''""")
count("credential-role-broad-scope", grants(
    "a.credential AND a.lvl IN ('root', 'management_group', 'subscription')"))
# The same principal and role also assigned at a strictly broader scope covering this one.
count("redundant-assignment", """SELECT count(DISTINCT x.aid) FROM a x
  JOIN a y ON y.pid = x.pid AND y.rkey = x.rkey AND y.scope <> x.scope
  WHERE x.lvl NOT IN ('directory', 'other') AND (y.scope = '/' OR starts_with(x.scope, y.scope || '/')
    OR y.scope IN (SELECT p FROM anc WHERE anc.s = x.sub))""")
count("custom-role-owner-equivalent", "SELECT count(*) FROM ccaps WHERE owner_eq")
count("custom-role-can-grant-access", "SELECT count(*) FROM ccaps WHERE can_grant AND NOT owner_eq")
count("custom-role-wildcard", "SELECT count(*) FROM ccaps WHERE wildcard AND NOT owner_eq AND NOT can_grant")
count("global-admin-count", f"""SELECT CASE WHEN NOT EXISTS (SELECT 1 FROM a WHERE lvl = 'directory') THEN 0
  WHEN count(DISTINCT e.pid) NOT BETWEEN 2 AND 4 THEN 1 ELSE 0 END
  FROM eff e JOIN a USING (aid) JOIN p ON p.id = e.pid
  WHERE (a.rkey = '{GLOBAL_ADMINISTRATOR}' OR (a.rid = '' AND lower(a.role) = 'company administrator'))
    AND a.kind = 'active' AND (a.end_on IS NULL OR a.end_on >= DATE '{as_of}') AND p.enabled IS NOT FALSE""")
count("large-group-privileged", """SELECT count(*) FROM a
  JOIN (SELECT g, count(*) n FROM closure GROUP BY g) c ON c.g = a.pid
  WHERE (a.privileged OR a.can_grant) AND c.n > 50""")
count("stale-service-principal-access", grants(
    f"p.type IN ('serviceprincipal', 'managedidentity') AND p.has_signin AND (p.last < {stale} "
    f"OR (p.last IS NULL AND (p.created IS NULL OR p.created < {stale})))", "JOIN p ON p.id = e.pid"))
count("missing-role-definition", "SELECT count(*) FROM a WHERE NOT known")
count("unused-custom-role",
      "SELECT count(*) FROM roles WHERE lower(name) NOT IN (SELECT rkey FROM a WHERE rkey IS NOT NULL)")
count("classic-administrator", """SELECT count(*) FROM (SELECT DISTINCT lower(SubscriptionId), lower(Identity)
  FROM classic WHERE replace(replace(lower(Role), '-', ''), ' ', '') LIKE '%coadministrator%')""")

# --- Data classification (SPEC §3.5) ------------------------------------------------------------------------------
# Labels with their order and tier; a label text maps by name, GUID, the Microsoft 365 aliases or its parent name.
q("""
CREATE TABLE labels AS SELECT name, CAST("order" AS INTEGER) ord, CASE lk(name) WHEN 'public' THEN 0
  WHEN 'general' THEN 1 WHEN 'confidential' THEN 2 WHEN 'confidentialgdpr' THEN 2 ELSE 3 END tier, id
FROM policy WHERE kind = 'label'""")
m365 = [("Personal", "Public"), ("Non-business", "Public"), ("Non business", "Public")] + [
    (f"defa4170-0d19-0005-{n}-bc88714345d2", label) for n, label in [
        ("0000", "Public"), ("0001", "Public"), ("0002", "General"), ("0003", "General"), ("0004", "General"),
        ("0005", "Confidential"), ("0006", "Confidential"), ("0007", "Confidential"), ("0008", "Confidential"),
        ("0009", "Highly Confidential"), ("000a", "Highly Confidential"), ("000b", "Highly Confidential")]]
q(f"""
CREATE TABLE labelkeys AS
SELECT lk(name) k, name, ord, tier FROM labels UNION SELECT lk(id), name, ord, tier FROM labels
UNION SELECT lk(x.alias), l.name, l.ord, l.tier
  FROM (VALUES {', '.join(f"('{a}', '{b}')" for a, b in m365)}) x(alias, target) JOIN labels l ON l.name = x.target""")
# Information types and their recommended label; scanner-recorded names map by type name or GUID, else by keywords
# (Purview MICROSOFT.* and Macie names), first rule first; unknown scanner names are Other.
q("""
CREATE TABLE itypes AS SELECT t.name, lk(t.name) k, lk(t.id) kid, l.ord, l.tier FROM policy t
JOIN labels l ON l.name = t.recommended_label WHERE t.kind = 'information_type'""")
keyword_rules = [
    ("SSN", ["social security", "ssn", "sin", "socialsecuritynumber"]),
    ("Credit Card", ["credit card", "debit card", "card", "creditcard", "creditcardnumber", "cvv"]),
    ("Banking", ["iban", "swift", "aba", "routing", "bank", "banking"]),
    ("Networking", ["ip address", "ipaddress", "ip", "mac address", "macaddress"]),
    ("Date Of Birth", ["birth", "dob", "birthdate", "dateofbirth"]),
    ("Health", ["health", "medical", "medication", "patient", "prescription", "diagnosis", "icd", "drug", "hipaa"]),
    ("Credentials", ["password", "credential", "credentials", "secret", "token", "key", "connection string",
                     "connectionstring", "certificate"]),
    ("National ID", ["passport", "driver", "drivers", "driving", "national id", "identification", "identity card",
                     "tax", "itin", "voter", "nino", "nhs number"]),
    ("Contact Info", ["email", "phone", "address", "city", "street", "zip", "postal", "fax", "state", "country",
                      "county"]),
    ("Name", ["name", "surname", "firstname", "lastname", "fullname"]),
    ("Financial", ["financial", "account number", "currency", "amount", "invoice", "payment", "finance"]),
    ("Name", ["personal"]), ("National ID", ["government"]), ("Credentials", ["security"]),
    ("Other", ["custom", "customidentifier", "multiple"])]
q("CREATE TABLE keywords AS SELECT * FROM (VALUES " + ", ".join(
    f"({i}, '{t}', ' {w} ')" for i, (t, ws) in enumerate(keyword_rules) for w in ws) + ") x(rank, type, phrase)")
# Assets: native assets and Azure SQL columns (one asset per column, asset id <database>/<schema>.<table>.<column>).
q("""
CREATE TABLE ast AS SELECT row_number() OVER () rn, * FROM (
SELECT asset_id, name, sk(resource_id) res, owner, TRUE owner_recorded, label,
  list_filter(list_transform(string_split(coalesce(information_types, ''), ';'), lambda x: trim(x)),
              lambda x: x <> '') types, coalesce(boolv(public), FALSE) public FROM assets
UNION ALL
SELECT ResourceId || '/' || SchemaName || '.' || TableName || '.' || ColumnName, ColumnName, sk(ResourceId),
  NULL, FALSE, SensitivityLabel,
  CASE WHEN coalesce(trim(InformationType), '') <> '' THEN [trim(InformationType)] ELSE [] END, NULL
FROM sqlcols)""")
q("DROP TABLE assets; DROP TABLE sqlcols")
q("""
CREATE TABLE ownlabel AS
SELECT t.label, coalesce(w.name, pa.name) name, coalesce(w.ord, pa.ord) ord, coalesce(w.tier, pa.tier) tier
FROM (SELECT DISTINCT label FROM ast WHERE label IS NOT NULL) t
LEFT JOIN labelkeys w ON w.k = lk(t.label)
LEFT JOIN labelkeys pa ON regexp_matches(t.label, '[\\\\/>]') AND pa.k = lk(regexp_extract(t.label, '^[^\\\\/>]*'))
WHERE coalesce(w.name, pa.name) IS NOT NULL""")
q("""
CREATE TABLE rectype AS
WITH r AS (SELECT DISTINCT unnest(types) raw FROM ast),
w AS (SELECT raw, ' ' || trim(regexp_replace(lower(raw), '[^\\p{L}\\p{N}]+', ' ', 'g')) || ' ' words FROM r)
SELECT w.raw, coalesce(byname.name, bykeyword.type,
  CASE WHEN words LIKE ' microsoft %' OR words LIKE ' sensitivedata %' OR words = ' custom identifier '
    THEN 'Other' END) type
FROM w
LEFT JOIN itypes byname ON lk(w.raw) IN (byname.k, byname.kid)
LEFT JOIN (SELECT raw, arg_min(type, rank) type FROM w JOIN keywords ON contains(w.words, keywords.phrase)
           GROUP BY raw) bykeyword ON bykeyword.raw = w.raw""")
# Name detection: the policy's LIKE patterns (SQL Server syntax: %, _, [..], [^..]) of each recommended label, as one
# regular expression per label, highest label first.


def like_to_regex(pattern, sql_like):
    out, i = [], 0
    while i < len(pattern):
        c = pattern[i]
        if sql_like and c == "%":
            out.append(".*")
        elif sql_like and c == "_":
            out.append(".")
        elif sql_like and c == "[" and "]" in pattern[i + 2:]:
            end = pattern.index("]", i + 2)
            out.append(pattern[i:end + 1])
            i = end
        else:
            out.append(c if c.isalnum() or c.isspace() or ord(c) > 127 else "\\" + c)
        i += 1
    return "^" + "".join(out) + "$"


detect = []
for label, ord_ in con.execute("""SELECT DISTINCT l.name, l.ord FROM patterns
    JOIN policy t ON t.kind = 'information_type' AND lk(t.name) = lk(patterns.information_type)
    JOIN labels l ON l.name = t.recommended_label ORDER BY l.ord DESC""").fetchall():
    rows = con.execute(f"""SELECT sql_like, lower(pattern) FROM patterns JOIN policy t ON t.kind = 'information_type'
      AND lk(t.name) = lk(patterns.information_type) WHERE t.recommended_label = '{label}'""").fetchall()
    regex = "|".join(like_to_regex(p, s == "1") for s, p in rows).replace("'", "''")
    detect.append(f"WHEN regexp_matches(n, '{regex}') THEN {ord_}")
# Per asset, the highest recommended label of its recorded types (those the policy explains).
q("""
CREATE TABLE rec AS
SELECT x.rn, max(it.ord) ord, bool_or(r.type = 'Credentials') credentials FROM (
  SELECT rn, unnest(types) raw FROM ast WHERE len(types) > 0) x
JOIN rectype r ON r.raw = x.raw JOIN itypes it ON it.name = r.type GROUP BY x.rn""")
# With none recorded, the highest recommended label its name shows (each distinct name judged once).
q(f"""
CREATE TABLE detected AS SELECT name, d.ord FROM (
  SELECT name, CASE {' '.join(detect)} END ord FROM (
    SELECT DISTINCT name, lower(trim(name)) n FROM ast WHERE rn NOT IN (SELECT rn FROM rec))) d
WHERE d.ord IS NOT NULL""")
# Per asset: own label, recommended label (of recorded types, or with none recorded of its name), effective label.
q("""
CREATE TABLE cls AS
SELECT ast.*, o.tier own_tier, rl.tier rec_tier, coalesce(o.tier, rl.tier) eff_tier,
  coalesce(rec.credentials, FALSE) credentials_recorded
FROM ast LEFT JOIN ownlabel o ON o.label = ast.label
LEFT JOIN rec ON rec.rn = ast.rn
LEFT JOIN detected d ON rec.rn IS NULL AND d.name = ast.name
LEFT JOIN labels rl ON rl.ord = coalesce(rec.ord, d.ord)""")
step("classification")
count("unclassified-sensitive-data",
      f"SELECT count(*) FROM cls WHERE own_tier IS NULL AND rec_tier >= {SENSITIVE_TIER}")
count("under-classified-data", "SELECT count(*) FROM cls WHERE own_tier < rec_tier")
# Credential terms in the name with spaces, '_', '-' and '.' removed; 'secretary' and the like are not secrets.
count("credentials-in-data", """SELECT count(*) FROM cls WHERE credentials_recorded OR regexp_matches(
  replace(regexp_replace(lower(name), '[\\s_.-]', '', 'g'), 'secretar', ''),
  'password|passwd|pwd|secret|token|apikey')""")
count("sensitive-data-without-owner",
      f"SELECT count(*) FROM cls WHERE owner_recorded AND eff_tier >= {SENSITIVE_TIER} AND novalue(owner)")
count("sensitive-data-public", f"SELECT count(*) FROM cls WHERE public AND eff_tier >= {SENSITIVE_TIER}")

# --- Identity × data (SPEC §3.4, service-aware reach) ---------------------------------------------------------------
# Resources holding sensitive assets, the scopes covering each (path prefixes, root, management groups above its
# subscription), the assignments at those scopes (an equality join) and their holders (groups expanded; a group
# whose members are not in the inputs stands for itself).
q(f"""
CREATE TABLE sres AS SELECT res, max(eff_tier) tier,
  CASE WHEN split_part(res, '/', 2) = 'subscriptions' AND split_part(res, '/', 4) = 'resourcegroups'
    AND split_part(res, '/', 6) = 'providers' THEN split_part(res, '/', 7)
    WHEN split_part(res, '/', 2) = 'subscriptions' AND split_part(res, '/', 4) = 'providers'
    THEN split_part(res, '/', 5) END provider
FROM cls WHERE eff_tier >= {SENSITIVE_TIER} AND res <> '/' GROUP BY res""")
q("""
CREATE TABLE rcover AS
SELECT res, '/' cs FROM sres
UNION SELECT res, array_to_string(string_split(res, '/')[1:i], '/') FROM sres,
  generate_series(2, len(string_split(res, '/'))) t(i)
UNION SELECT res, anc.p FROM sres JOIN anc ON anc.s = subof(res)""")
q("""
CREATE TABLE reach AS
SELECT r.res, s.tier, a.aid, coalesce(c.m, a.pid) pid, c.m IS NOT NULL via,
  a.reaches_data AND (a.all_data OR list_contains(a.providers, s.provider)) reaches, a.can_grant
FROM rcover r JOIN sres s USING (res) JOIN a ON a.scope = r.cs AND (a.reaches_data OR a.can_grant)
LEFT JOIN closure c ON a.ptype = 'group' AND c.g = a.pid""")
step("reach")
reach = lambda where, joins="": f"""SELECT count(*) FROM (SELECT DISTINCT e.pid, e.res FROM reach e JOIN a USING (aid)
  {joins} WHERE {where})"""
count("guest-reaches-sensitive-data", reach(f"e.reaches AND {guest}", holder_joins))
count("inactive-account-reaches-sensitive-data", reach(
    f"e.reaches AND p.type <> 'group' AND (NOT p.enabled OR p.last < {stale} OR (p.type = 'user' AND p.has_signin "
    f"AND p.last IS NULL AND p.created < TIMESTAMP '{as_of}' - INTERVAL {NEVER_USED_DAYS} DAY))",
    "JOIN p ON p.id = e.pid"))
count("service-principal-can-grant-over-sensitive-data", reach(
    f"e.can_grant AND e.tier >= {HIGHLY_CONFIDENTIAL_TIER} "
    f"AND {holder_type} IN ('serviceprincipal', 'managedidentity')",
    holder_joins))
count("broad-reach-sensitive-data", f"""SELECT count(*) FROM (SELECT res FROM reach
  WHERE reaches AND tier >= {HIGHLY_CONFIDENTIAL_TIER} GROUP BY res HAVING count(DISTINCT pid) > 25)""")

# --- AWS credential report ------------------------------------------------------------------------------------------
ts = lambda col: f"TRY_CAST({col} AS TIMESTAMPTZ)"
# Every active access key (the report has two columns of each), one row per key.
q("CREATE TABLE awskeys AS " + " UNION ALL ".join(
    f"""SELECT "user", {ts(f'access_key_{n}_last_used_date')} used, {ts(f'access_key_{n}_last_rotated')} rotated,
      {ts('user_creation_time')} created FROM aws WHERE lower(access_key_{n}_active) = 'true'""" for n in (1, 2)))
count("aws-root-access-key", "SELECT count(DISTINCT \"user\") FROM awskeys WHERE \"user\" = '<root_account>'")
count("aws-root-without-mfa",
      "SELECT count(*) FROM aws WHERE \"user\" = '<root_account>' AND lower(mfa_active) = 'false'")
count("aws-console-user-without-mfa", """SELECT count(*) FROM aws WHERE "user" <> '<root_account>'
  AND lower(password_enabled) = 'true' AND lower(mfa_active) = 'false'""")
# A password or active key unused for N days or more; never used counts from when it was set, else the user's creation.
count("aws-unused-credentials", f"""SELECT count(*) FROM (
  SELECT coalesce({ts('password_last_used')}, {ts('password_last_changed')}, {ts('user_creation_time')}) ref FROM aws
    WHERE "user" <> '<root_account>' AND lower(password_enabled) = 'true'
  UNION ALL SELECT coalesce(used, rotated, created) FROM awskeys WHERE "user" <> '<root_account>')
  WHERE CAST(ref AS DATE) <= DATE '{as_of}' - {AWS_UNUSED_DAYS}""")
# An IAM user's active key last rotated (else created) more than N days ago.
count("aws-access-key-not-rotated", f"""SELECT count(*) FROM awskeys WHERE "user" <> '<root_account>'
  AND CAST(coalesce(rotated, created) AS DATE) < DATE '{as_of}' - {AWS_ROTATION_DAYS}""")
queries = time.perf_counter() - t1
print(json.dumps({"load_seconds": round(load, 3), "query_seconds": round(queries, 3),
                  "total_seconds": round(load + queries, 3), "counts": counts}, indent=2, sort_keys=True))
