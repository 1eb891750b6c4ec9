using System.Globalization;
using System.Text;

namespace ReviewPortal.Benchmarks;

/// <summary>
/// Source files that look like a service's code in one of several languages (braces, blank lines, repeated
/// statements), and an agent's edit of each: modified, inserted and deleted lines clustered in a few hunks.
/// Deterministic for a seed, so every run reviews the same pull request.
/// </summary>
public static class SourceCodeChange
{
    private static readonly string[] Extensions = ["cs", "ts", "py", "go", "java", "cs", "ts", "sql", "yaml", "cs"];

    public sealed record File(string Path, string OldContent, string NewContent);

    /// <summary><paramref name="count"/> files whose changed lines (added + deleted) total about <paramref name="changedLines"/>.</summary>
    public static List<File> PullRequest(int count, int changedLines, int seed = 42)
    {
        var random = new Random(seed);
        var files = new List<File>(count);
        var perFile = changedLines / count;
        for (var i = 0; i < count; i++)
        {
            var extension = Extensions[i % Extensions.Length];
            var folder = $"src/{Area(i)}/{Area(i / 7)}";
            var path = $"{folder}/{Name(extension, i)}.{extension}";
            var methods = 24 + random.Next(24);
            var lines = Render(extension, i, methods, random, out var methodStarts);
            var edited = Edit(lines, methodStarts, extension, perFile, random);
            files.Add(new File(path, Join(lines), Join(edited)));
        }

        return files;
    }

    private static string Area(int n) => new[] { "Billing", "Orders", "Catalog", "Shipping", "Payments", "Identity", "Reports", "Search", "Inventory", "Notifications", "Pricing" }[n % 11];

    private static string Name(string extension, int i) => extension switch
    {
        "py" => $"service_{i}",
        "sql" => $"V{i:D4}__tables",
        "yaml" => $"deploy-{i}",
        "go" => $"handler{i}",
        _ => $"Service{i}",
    };

    private static string Join(List<string> lines) => string.Join("\n", lines) + "\n";

    private static List<string> Render(string extension, int file, int methods, Random random, out List<int> methodStarts)
    {
        var lines = new List<string>();
        methodStarts = [];
        string Field(int m) => new[] { "amount", "quantity", "price", "total", "discount", "tax", "weight" }[(m + file) % 7];
        switch (extension)
        {
            case "cs":
            case "java":
            case "ts":
                lines.AddRange(extension switch
                {
                    "cs" => ["using System;", "using System.Collections.Generic;", "using System.Threading.Tasks;", "", $"namespace Acme.{Area(file)};", "", $"public sealed class Service{file}", "{"],
                    "java" => [$"package com.acme.{Area(file).ToLowerInvariant()};", "", "import java.math.BigDecimal;", "import java.util.List;", "", $"public final class Service{file} {{"],
                    _ => ["import { Injectable } from '@angular/core';", "import { HttpClient } from '@angular/common/http';", "", "@Injectable({ providedIn: 'root' })", $"export class Service{file} {{"],
                });
                for (var m = 0; m < methods; m++)
                {
                    methodStarts.Add(lines.Count);
                    var f = Field(m);
                    lines.AddRange(extension switch
                    {
                        "cs" => [$"    public async Task<decimal> Compute{m}Async(Order order, CancellationToken cancellationToken)", "    {", $"        var {f} = await _repository.Get{m}Async(order.Id, cancellationToken);", $"        if ({f} <= 0)", "        {", "            return 0m;", "        }", "", $"        return {f} * {random.Next(2, 9)}m;", "    }", ""],
                        "java" => [$"    public BigDecimal compute{m}(Order order) {{", $"        BigDecimal {f} = repository.get{m}(order.getId());", $"        if ({f}.signum() <= 0) {{", "            return BigDecimal.ZERO;", "        }", $"        return {f}.multiply(BigDecimal.valueOf({random.Next(2, 9)}));", "    }", ""],
                        _ => [$"  compute{m}(order: Order): number {{", $"    const {f} = this.repository.get{m}(order.id);", $"    if ({f} <= 0) {{", "      return 0;", "    }", $"    return {f} * {random.Next(2, 9)};", "  }", ""],
                    });
                }

                lines.Add("}");
                break;
            case "py":
                lines.AddRange(["from dataclasses import dataclass", "from decimal import Decimal", "", "", $"class Service{file}:", "    def __init__(self, repository):", "        self.repository = repository", ""]);
                for (var m = 0; m < methods; m++)
                {
                    methodStarts.Add(lines.Count);
                    var f = Field(m);
                    lines.AddRange([$"    def compute_{m}(self, order):", $"        {f} = self.repository.get_{m}(order.id)", $"        if {f} <= 0:", "            return Decimal(0)", $"        return {f} * {random.Next(2, 9)}", ""]);
                }

                break;
            case "go":
                lines.AddRange([$"package {Area(file).ToLowerInvariant()}", "", "import (", "\t\"context\"", "\t\"errors\"", ")", "", $"type Handler{file} struct {{", "\trepo Repository", "}", ""]);
                for (var m = 0; m < methods; m++)
                {
                    methodStarts.Add(lines.Count);
                    var f = Field(m);
                    lines.AddRange([$"func (h *Handler{file}) Compute{m}(ctx context.Context, id int64) (int64, error) {{", $"\t{f}, err := h.repo.Get{m}(ctx, id)", "\tif err != nil {", "\t\treturn 0, err", "\t}", $"\treturn {f} * {random.Next(2, 9)}, nil", "}", ""]);
                }

                break;
            case "sql":
                for (var m = 0; m < methods; m++)
                {
                    methodStarts.Add(lines.Count);
                    lines.AddRange([$"CREATE TABLE {Area(file).ToLowerInvariant()}_{m} (", "    id bigint PRIMARY KEY,", $"    {Field(m)} numeric(12, 2) NOT NULL,", "    created_at timestamptz NOT NULL DEFAULT now()", ");", ""]);
                }

                break;
            default:
                lines.AddRange(["apiVersion: apps/v1", "kind: Deployment", "metadata:", $"  name: {Area(file).ToLowerInvariant()}-{file}", "spec:", "  template:", "    spec:", "      containers:"]);
                for (var m = 0; m < methods; m++)
                {
                    methodStarts.Add(lines.Count);
                    lines.AddRange([$"        - name: worker-{m}", $"          image: registry.acme.test/{Area(file).ToLowerInvariant()}:{random.Next(1, 40)}.{m}", "          resources:", "            limits:", $"              memory: {128 * (1 + (m % 4))}Mi"]);
                }

                break;
        }

        return lines;
    }

    /// <summary>Three or four hunks per file: a modified block, an inserted method, a deleted one, so added + deleted is about <paramref name="target"/>.</summary>
    private static List<string> Edit(List<string> lines, List<int> methodStarts, string extension, int target, Random random)
    {
        var result = new List<string>(lines);
        var budget = target;
        var hunks = 3 + random.Next(2);
        // From the bottom up, so earlier indexes stay valid.
        var picks = methodStarts.Skip(1).OrderBy(_ => random.Next()).Take(hunks).OrderByDescending(i => i).ToList();
        for (var h = 0; h < picks.Count && budget > 0; h++)
        {
            var at = picks[h];
            var share = h == picks.Count - 1 ? budget : Math.Max(2, budget / (picks.Count - h));
            switch (h % 3)
            {
                case 0:
                    // Modify the next few lines in place: each counts as one deleted and one added line.
                    var modified = Math.Min(share / 2, 6);
                    for (var k = 0; k < modified && at + k < result.Count; k++)
                    {
                        result[at + k] = result[at + k].Replace("Compute", "Calculate", StringComparison.Ordinal).Replace("compute", "calculate", StringComparison.Ordinal) + (result[at + k].Length > 0 ? Suffix(extension) : "");
                    }

                    budget -= 2 * modified;
                    break;
                case 1:
                    var inserted = Math.Max(1, share);
                    result.InsertRange(at, Enumerable.Range(0, inserted).Select(k => InsertedLine(extension, at, k)));
                    budget -= inserted;
                    break;
                default:
                    var deleted = Math.Min(Math.Max(1, share), Math.Max(0, result.Count - at - 1));
                    result.RemoveRange(at, deleted);
                    budget -= deleted;
                    break;
            }
        }

        if (budget > 0)
        {
            result.InsertRange(result.Count - 1, Enumerable.Range(0, budget).Select(k => InsertedLine(extension, 99_999, k)));
        }

        return result;
    }

    private static string Suffix(string extension) => extension is "py" or "yaml" ? "  # reviewed" : extension == "sql" ? " -- reviewed" : " // reviewed";

    private static string InsertedLine(string extension, int at, int k) => extension switch
    {
        "py" => $"        audit_{at}_{k} = self.repository.audit({k})",
        "go" => $"\taudit{at}x{k} := h.repo.Audit(ctx, {k})",
        "sql" => $"CREATE INDEX ix_audit_{at}_{k} ON audit_{at} (entry_{k});",
        "yaml" => $"        # audit {at}.{k}: sidecar log shipping enabled",
        "ts" => $"    const audit{at}x{k} = this.repository.audit({k});",
        "java" => $"        var audit{at}x{k} = repository.audit({k});",
        _ => string.Create(CultureInfo.InvariantCulture, $"        var audit{at}x{k} = await _repository.AuditAsync({k}, cancellationToken);"),
    };

    /// <summary>Changed lines as the portal counts them at ingest.</summary>
    public static int ChangedLines(IEnumerable<File> files) =>
        files.Sum(f => Domain.Diff.FileLineChanges.Compute(f.Path, f.OldContent, f.NewContent) is var c ? c.Additions + c.Deletions : 0);

    public static string Describe(IReadOnlyCollection<File> files)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{files.Count} files, {files.Sum(f => f.NewContent.Length) / 1024} KB");
        return text.ToString();
    }
}
