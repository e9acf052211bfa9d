package dev.beacon.billing.credit.domain;

/**
 * The ledger's account ids. Each workspace has two: its monthly allowance, which expires at the end
 * of the month, and its purchased credits, which do not. Every credit comes from, or goes to, one
 * of four system accounts.
 */
public final class Accounts {

  /** The source of every monthly allowance and the sink of every expired one. */
  public static final String SYSTEM_ALLOWANCE = "system:allowance";

  /** The source of every purchased credit. */
  public static final String SYSTEM_PURCHASES = "system:purchases";

  /** Where hosted usage goes. */
  public static final String SYSTEM_USAGE = "system:usage";

  /** Where the credits of refunded purchases go. */
  public static final String SYSTEM_REFUNDS = "system:refunds";

  private Accounts() {}

  /** The workspace's allowance account. */
  public static String allowance(String workspaceId) {
    return "workspace:" + workspaceId + ":allowance";
  }

  /** The workspace's purchased credits account. */
  public static String purchased(String workspaceId) {
    return "workspace:" + workspaceId + ":purchased";
  }
}
