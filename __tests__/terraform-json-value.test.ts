/**
 * The reader the stack tests use for jsonencode() attributes: it must give back exactly the
 * document a plain JSON string would hold, or the security baseline would check the wrong thing.
 */
import { decodeJsonAttribute } from "./helpers/terraform-json-value";

describe("decodeJsonAttribute", () => {
  it("reads cdktf's jsonencode() rendering, references as ${...} strings", () => {
    const attribute =
      '${jsonencode({"Version" = "2012-10-17", "Statement" = [{"Effect" = "Deny", "Principal" = "*", "Action" = "s3:*", ' +
      '"Resource" = [aws_s3_bucket.b.arn, "${aws_s3_bucket.b.arn}/*"], "Condition" = {"Bool" = {"aws:SecureTransport" = "false"}}}]})}';
    expect(decodeJsonAttribute(attribute)).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Deny",
          Principal: "*",
          Action: "s3:*",
          Resource: ["${aws_s3_bucket.b.arn}", "${aws_s3_bucket.b.arn}/*"],
          Condition: { Bool: { "aws:SecureTransport": "false" } },
        },
      ],
    });
  });

  it("reads numbers, booleans, null, escapes and cross-stack references", () => {
    const attribute =
      '${jsonencode([{"cpu" = 256, "ratio" = -1.5e-3, "essential" = true, "gone" = null, "text" = "a \\"quoted\\" word", ' +
      '"ref" = data.terraform_remote_state.cross-stack-reference-input-x.outputs.cross-stack-output-y}])}';
    expect(decodeJsonAttribute(attribute)).toEqual([
      {
        cpu: 256,
        ratio: -0.0015,
        essential: true,
        gone: null,
        text: 'a "quoted" word',
        ref: "${data.terraform_remote_state.cross-stack-reference-input-x.outputs.cross-stack-output-y}",
      },
    ]);
  });

  it("passes plain JSON through and rejects what it cannot read", () => {
    expect(decodeJsonAttribute('{"a":[1,"b"]}')).toEqual({ a: [1, "b"] });
    expect(() => decodeJsonAttribute('${jsonencode({"a" = 1} extra)}')).toThrow(/trailing text/);
    expect(() => decodeJsonAttribute('${jsonencode({"a" = @})}')).toThrow(/unexpected/);
  });
});
