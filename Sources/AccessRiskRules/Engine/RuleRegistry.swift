/// Every rule, in catalogue order. A test fails when a rule file is not listed here or ids are not unique.
public enum RuleRegistry {
    public static let all: [any Rule.Type] = AccessRuleList.all + DataRuleList.all
}
