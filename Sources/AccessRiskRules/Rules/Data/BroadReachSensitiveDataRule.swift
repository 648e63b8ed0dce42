import AccessRiskModel

/// More than N distinct principals reach a Highly Confidential asset (SPEC §4).
struct BroadReachSensitiveDataRule: Rule {
    typealias F = ReachFixtures

    static let description = RuleDescription(
        id: "broad-reach-sensitive-data", category: .dataAccess, title: "Highly Confidential data reached broadly",
        subject: "resource", requiredInputs: [.assignments, .assets], baseLikelihood: 3, baseImpact: 4,
        rationale: """
            Every principal that can read Highly Confidential data is a way for it to leak. When more than a \
            handful can, need-to-know has given way to convenience, usually through large groups or broad scopes.
            """,
        condition: """
            More than max_principals distinct principals (after expanding groups; a group whose members are not \
            in the inputs counts as one) hold a role reaching the provider of a Highly Confidential asset at a \
            scope covering its resource.
            """,
        remediation: """
            Narrow access to the resource: replace broad-scope or large-group assignments with a small group of \
            named readers approved by the data owner, and review it every cycle.
            """,
        controls: [
            "NIST 800-53 AC-6", "NIST 800-53 AC-6(1)", "ISO 27001 A.8.3", "ISO 27001 A.5.15", "SOC2 CC6.1", "PCI 7.2.1",
        ],
        anchors: ["detection-rules E07 (large group on HC data)", "Defender CSPM sensitive data exposure"],
        thresholds: [
            RuleThreshold(
                "max_principals", default: 25, "most distinct principals that may reach Highly Confidential data")
        ],
        triggering: [
            RuleExample("26 members of a group with Storage Blob Data Reader", expect: [F.containerKey]) { m in
                let users = (1...26).map { F.user("reader-\($0)") }
                F.add(users + [F.group("grp-all")], to: &m)
                m.memberships = users.map { Membership(groupId: "grp-all", memberId: $0.id) }
                m.assignments = [F.blobReader(F.group("grp-all"), at: DataFixtures.resourceGroup)]
                m.assets = [F.payroll]
            },
            RuleExample(
                "a lower threshold; a principal reaching through two paths counts once",
                thresholds: ["max_principals": 2],
                expect: [F.hrKey]
            ) { m in
                let users = ["a", "b", "c"].map { F.user($0) }
                F.add(users + [F.group("grp-dba")], to: &m)
                F.underManagementGroup(&m)
                m.memberships = [
                    Membership(groupId: "grp-dba", memberId: "a"), Membership(groupId: "grp-dba", memberId: "b"),
                ]
                m.assignments = [
                    F.owner(F.group("grp-dba"), at: F.managementGroup), F.owner(users[0], at: DataFixtures.database),
                    F.contributor(users[2], at: DataFixtures.subscription),
                ]
                m.assets = F.hrColumns
            },
        ],
        nonTriggering: [
            RuleExample("exactly 25 principals") { m in
                let users = (1...25).map { F.user("reader-\($0)") }
                F.add(users + [F.group("grp-all")], to: &m)
                m.memberships = users.map { Membership(groupId: "grp-all", memberId: $0.id) }
                m.assignments = [F.blobReader(F.group("grp-all"), at: DataFixtures.resourceGroup)]
                m.assets = [F.payroll]
            },
            RuleExample("30 Readers, and 30 data readers of Confidential data") { m in
                let users = (1...30).map { F.user("reader-\($0)") }
                F.add(users, to: &m)
                m.assignments =
                    users.map { F.reader($0, at: DataFixtures.subscription) }
                    + users.map { F.blobReader($0, at: DataFixtures.subscription) }
                m.assets = F.hrColumns + [DataFixtures.container("contracts", label: "Confidential")]
            },
        ])

    func evaluate(_ context: RuleContext) -> [Finding] {
        let limit = context.threshold("max_principals")
        let reach = DataReach(context: context)
        let resources = reach.sensitiveResources(minimumTier: LabelTier.highlyConfidential)
        let grants = reach.grants(
            to: resources, allows: { caps, provider in caps.reaches(provider: provider) }, include: { _, _ in true })
        var findings: [Finding] = []
        for (resource, grants) in zip(resources, grants) {
            let principals = Set(grants.map(\.principalId))
            guard principals.count > limit else { continue }
            let examples = principals.sorted().prefix(3).map { context.displayName($0) }.joined(separator: ", ")
            let evidence =
                "\(principals.count) distinct principals (limit \(limit)) reach \(resource.resourceId), which holds "
                + "\(resource.assetCount) Highly Confidential \(resource.assetCount == 1 ? "asset" : "assets") "
                + "(e.g. \(resource.sampleAssets.joined(separator: ", "))); among them \(examples)."
            findings.append(
                Self.description.finding(subjectKey: resource.key, evidence: evidence) { f in
                    f.resource = resource.resourceId
                    f.label = resource.topLabel.name
                    f.grantKeys = Array(
                        Set(
                            grants.map {
                                let a = context.model.assignments[$0.assignmentIndex]
                                return $0.principalId + "|" + a.roleKey + "|" + a.scope.key
                            })
                    ).sorted()
                    f.facts.dataTier = dataTier(resource.topLabel.tier)
                })
        }
        return findings
    }
}
