/// The Rules layer.
public enum AccessRiskRulesModule {}
