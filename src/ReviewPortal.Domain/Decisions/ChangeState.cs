namespace ReviewPortal.Domain.Decisions;

public enum ChangeState
{
    /// <summary>Waiting for a reviewer's decision.</summary>
    Pending,

    /// <summary>A reviewer asked the author to revise; a new push makes it pending again.</summary>
    ChangesRequested,
    Approved,
    Rejected,
}

public enum DecisionKind
{
    Approve,
    Reject,

    /// <summary>Asks the author to revise (GitHub REQUEST_CHANGES); needs a comment, like a rejection.</summary>
    RequestChanges,
}
