using System.Globalization;
using Microsoft.AspNetCore.Components;
using MudBlazor;
using ReviewPortal.Domain.Decisions;
using ReviewPortal.Domain.Policy;

namespace ReviewPortal.Web.Features.Decisions;

/// <summary>
/// The reason for a rejection or a request for changes, required before anything is sent; closes with the reason.
/// The policy checks it again when the decision is recorded (<see cref="ReviewPolicy.Check"/>).
/// </summary>
public partial class DecisionReasonDialog
{
    private MudForm? form;
    private bool valid;

    [CascadingParameter]
    private IMudDialogInstance Dialog { get; set; } = default!;

    /// <summary><see cref="DecisionKind.Reject"/> or <see cref="DecisionKind.RequestChanges"/>.</summary>
    [Parameter, EditorRequired]
    public DecisionKind Kind { get; set; }

    /// <summary>The revision and commit the decision is made on.</summary>
    [Parameter, EditorRequired]
    public DecisionTarget Target { get; set; } = default!;

    /// <summary>The reason, starting from the comment the reviewer already wrote in the panel.</summary>
    [Parameter]
    public string? Reason { get; set; }

    private string Doing => Kind == DecisionKind.Reject ? "rejecting" : "requesting changes on";

    private string Action => Kind == DecisionKind.Reject ? $"Reject {Target.Label}" : $"Request changes on {Target.Label}";

    private string ReasonRequired => Kind == DecisionKind.Reject
        ? "Reason is required: say why you reject this commit."
        : "Reason is required: say what to change.";

    private string? Check(string? reason) =>
        string.IsNullOrWhiteSpace(reason) ? ReasonRequired
        : reason.Length > ReviewPolicy.MaxCommentLength ? string.Create(CultureInfo.InvariantCulture, $"Reason is longer than {ReviewPolicy.MaxCommentLength} characters.")
        : null;

    private async Task SubmitAsync()
    {
        await form!.ValidateAsync();
        if (valid && Reason is not null)
        {
            Dialog.Close(DialogResult.Ok(Reason.Trim()));
        }
    }
}
