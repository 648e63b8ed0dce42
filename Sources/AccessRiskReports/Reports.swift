/// The Reports layer.
public enum AccessRiskReportsModule {}
