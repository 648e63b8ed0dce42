/// The Register layer.
public enum AccessRiskRegisterModule {}
