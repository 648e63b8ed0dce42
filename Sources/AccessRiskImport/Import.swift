/// The Import layer.
public enum AccessRiskImportModule {}
