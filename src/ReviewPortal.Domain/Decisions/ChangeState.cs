namespace ReviewPortal.Domain.Decisions;

public enum ChangeState
{
    /// <summary>Waiting for a reviewer's decision.</summary>
    Pending,
    Approved,
    Rejected,
}

public enum DecisionKind
{
    Approve,
    Reject,
}
