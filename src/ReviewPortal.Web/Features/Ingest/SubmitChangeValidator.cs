using ReviewPortal.Domain.Risk;
using ReviewPortal.Domain.Text;

namespace ReviewPortal.Web.Features.Ingest;

/// <summary>
/// Checks a submission field by field and reports every invalid field, not only the first; error keys are the JSON
/// field paths, so a client knows what to fix. Text the portal cannot store is refused in every text field; in file
/// content a NUL makes the file binary instead (<see cref="StorableText"/>).
/// </summary>
public static class SubmitChangeValidator
{
    public const int MaxFiles = 1000;
    public const int MaxFileBytes = 2 * 1024 * 1024;

    public static Dictionary<string, string[]> Validate(SubmitChangeRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = new FieldErrors();
        var add = errors.Add;

        Required("title", request.Title, 300);
        Required("repository", request.Repository, 200);
        Required("author", request.Author, 200);
        ValidateProvenance(request, add);

        if (request.Files is null || request.Files.Count == 0)
        {
            add("files", "At least one file is required.");
        }
        else if (request.Files.Count > MaxFiles)
        {
            add("files", $"At most {MaxFiles} files per change.");
        }
        else
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < request.Files.Count; i++)
            {
                ValidateFile(i, request.Files[i], seen, add);
            }
        }

        return errors.ToDictionary();

        void Required(string field, string? value, int maxLength)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                add(field, $"The {field} field is required.");
            }
            else
            {
                Text(field, value, maxLength, add);
            }
        }
    }

    /// <summary>Checks an attached bundle: the change must be named by repository + number or by head commit.</summary>
    public static Dictionary<string, string[]> Validate(AttachProvenanceRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = new FieldErrors();
        var add = errors.Add;

        var byNumber = NamesChangeByNumber(request);
        var bySha = !string.IsNullOrWhiteSpace(request.HeadSha);
        if (!byNumber && !bySha)
        {
            add("headSha", "Name the change by repository and number, or by headSha.");
        }

        Text("repository", request.Repository, 200, add);
        Text("headSha", request.HeadSha, 64, add);

        ValidateProvenance(request, add);
        return errors.ToDictionary();
    }

    /// <summary>Whether the request names its change by repository and number; otherwise by its head commit.</summary>
    public static bool NamesChangeByNumber(AttachProvenanceRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return !string.IsNullOrWhiteSpace(request.Repository) && request.Number is > 0;
    }

    private static void ValidateProvenance(IProvenanceFields fields, Action<string, string> add)
    {
        Length("prompter", fields.Prompter, 200);
        Length("agentSessionId", fields.AgentSessionId, 200);
        Length("modelVersion", fields.ModelVersion, 200);
        Length("modelParametersHash", fields.ModelParametersHash, 200);
        Length("agentTool", fields.AgentTool, 200);
        Length("prompt", fields.Prompt, 100_000);
        Percent("coveragePercent", fields.CoveragePercent);
        Percent("policyComplianceScore", fields.PolicyComplianceScore);
        if (fields.Tests is { } tests && (tests.Passed < 0 || tests.Failed < 0 || tests.Skipped < 0))
        {
            add("tests", "Test counts cannot be negative.");
        }

        if (fields.RollbackPlan is { } plan)
        {
            if (string.IsNullOrWhiteSpace(plan.Steps))
            {
                add("rollbackPlan.steps", "A rollback plan needs its steps.");
            }

            Length("rollbackPlan.steps", plan.Steps, 20_000);
            Length("rollbackPlan.blastRadius", plan.BlastRadius, 4000);
        }

        var findings = fields.SecurityFindings ?? [];
        if (findings.Count > 500)
        {
            add("securityFindings", "At most 500 findings.");
        }

        for (var i = 0; i < Math.Min(findings.Count, 500); i++)
        {
            var finding = findings[i];
            if (finding is null)
            {
                add($"securityFindings[{i}]", "A finding cannot be null.");
                continue;
            }

            if (!Enum.TryParse<FindingSeverity>(finding.Severity, ignoreCase: true, out _) || int.TryParse(finding.Severity, out _))
            {
                add($"securityFindings[{i}].severity", "Use one of: info, low, medium, high, critical.");
            }

            if (string.IsNullOrWhiteSpace(finding.Title))
            {
                add($"securityFindings[{i}].title", "The title field is required.");
            }

            Length($"securityFindings[{i}].title", finding.Title, 500);
            Length($"securityFindings[{i}].path", finding.Path, 1024);
        }

        void Length(string field, string? value, int maxLength) => Text(field, value, maxLength, add);

        void Percent(string field, double? value)
        {
            if (value is { } number && (double.IsNaN(number) || number < 0 || number > 100))
            {
                add(field, "Must be between 0 and 100.");
            }
        }
    }

    private static void ValidateFile(int index, SubmittedFile? file, HashSet<string> seen, Action<string, string> add)
    {
        var prefix = $"files[{index}]";
        if (file is null)
        {
            add(prefix, "A file entry cannot be null.");
            return;
        }

        if (string.IsNullOrWhiteSpace(file.Path))
        {
            add($"{prefix}.path", "The path field is required.");
        }
        else if (file.Path.Length > 1024 || file.Path.StartsWith('/') || file.Path.Contains('\\', StringComparison.Ordinal)
                 || file.Path.Split('/').Any(segment => segment is "" or "." or "..") || file.Path.Any(char.IsControl) || !StorableText.IsStorable(file.Path))
        {
            add($"{prefix}.path", "The path must be a relative path with '/' separators and no '.', '..' or empty segments.");
        }
        else if (!seen.Add(file.Path))
        {
            add($"{prefix}.path", $"The path '{file.Path}' appears more than once.");
        }

        if (file.OldContent is null && file.NewContent is null)
        {
            add(prefix, "A file needs oldContent, newContent or both.");
        }
        else if (string.Equals(file.OldContent, file.NewContent, StringComparison.Ordinal))
        {
            add(prefix, "The file's old and new content are identical.");
        }

        Content($"{prefix}.oldContent", file.OldContent, add);
        Content($"{prefix}.newContent", file.NewContent, add);
    }

    /// <summary>A NUL makes the content binary, so only an unpaired surrogate (which has no bytes at all) is refused.</summary>
    private static void Content(string field, string? content, Action<string, string> add)
    {
        if (content is { Length: > MaxFileBytes })
        {
            add(field, $"Larger than {MaxFileBytes} characters.");
        }

        if (!StorableText.IsStorable(content) && !StorableText.IsStorable(content.Replace('\0', StorableText.Replacement)))
        {
            add(field, "Contains an unpaired surrogate, which is not text; send binary files with their NUL bytes.");
        }
    }

    /// <summary>An optional text field: at most <paramref name="maxLength"/> characters, all of them storable.</summary>
    private static void Text(string field, string? value, int maxLength, Action<string, string> add)
    {
        if (value is null)
        {
            return;
        }

        if (value.Length > maxLength)
        {
            add(field, $"The {field} field is longer than {maxLength} characters.");
        }

        if (!StorableText.IsStorable(value))
        {
            add(field, StorableText.Problem);
        }
    }

    /// <summary>Validation messages by field path, in the shape a ValidationProblem wants.</summary>
    private sealed class FieldErrors
    {
        private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

        public void Add(string field, string message)
        {
            if (!_errors.TryGetValue(field, out var list))
            {
                _errors[field] = list = [];
            }

            list.Add(message);
        }

        public Dictionary<string, string[]> ToDictionary() => _errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);
    }
}
