// The SigV4 test vectors of the security reference §2.9, kept as data: each request as it
// arrives (Node's rawHeaders/url form), the credentials and time it was signed with, and the
// canonical request, string-to-sign hash and signature it must reproduce. Vector A is the AWS
// test-suite "get-vanilla" case; the others were computed with @smithy/signature-v4 5.7.5 and
// recomputed independently.

export interface SigV4Vector {
  id: "A" | "B" | "C" | "D" | "E" | "F";
  title: string;
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  /** Signing time, ms since epoch. */
  time: number;
  region: string;
  service: string;
  /** Verification needs UNSIGNED-PAYLOAD to be allowed. */
  unsignedPayload?: boolean;
  request: {
    method: string;
    rawUrl: string;
    rawHeaders: readonly string[];
    body: string;
  };
  canonicalRequest: string;
  /** Last line of the string to sign: hex SHA-256 of the canonical request (not given for E). */
  canonicalRequestHash?: string;
  stringToSign?: string;
  keyDerivation?: { kDate?: string; kRegion?: string; kService?: string; kSigning: string };
  signature: string;
}

const EXAMPLE_AKIA = "AKIAIOSFODNN7EXAMPLE";
const EXAMPLE_ASIA = "ASIAIOSFODNN7EXAMPLE";
const EXAMPLE_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
const EXAMPLE_TOKEN = "FQoGZXIvYXdzEXAMPLETOKEN";
const T_2024_01_15 = Date.UTC(2024, 0, 15, 12, 0, 0);
const EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
const GET_SECRET_VALUE_BODY = '{"SecretId":"MyTestSecret"}';
const GET_SECRET_VALUE_SHA256 = "7b784e9ae61a973388a77975eda94c447ed810634deeeac9ec9db5825bb25567";

const lines = (...parts: string[]) => parts.join("\n");

const authorization = (credential: string, signedHeaders: string, signature: string) =>
  `AWS4-HMAC-SHA256 Credential=${credential}, SignedHeaders=${signedHeaders}, Signature=${signature}`;

const presignedQueryD =
  "Action=GetCallerIdentity&Version=2011-06-15&X-Amz-Algorithm=AWS4-HMAC-SHA256" +
  "&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20240115%2Fus-east-1%2Fsts%2Faws4_request" +
  "&X-Amz-Date=20240115T120000Z&X-Amz-Expires=900&X-Amz-SignedHeaders=host";

export const sigV4Vectors: readonly SigV4Vector[] = [
  {
    id: "A",
    title: "AWS test suite get-vanilla",
    accessKeyId: "AKIDEXAMPLE",
    secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
    time: Date.UTC(2015, 7, 30, 12, 36, 0),
    region: "us-east-1",
    service: "service",
    request: {
      method: "GET",
      rawUrl: "/",
      rawHeaders: [
        "Host", "example.amazonaws.com",
        "X-Amz-Date", "20150830T123600Z",
        "Authorization", authorization(
          "AKIDEXAMPLE/20150830/us-east-1/service/aws4_request",
          "host;x-amz-date",
          "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
        ),
      ],
      body: "",
    },
    canonicalRequest: lines(
      "GET",
      "/",
      "",
      "host:example.amazonaws.com",
      "x-amz-date:20150830T123600Z",
      "",
      "host;x-amz-date",
      EMPTY_SHA256,
    ),
    canonicalRequestHash: "bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63",
    signature: "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
  },
  {
    id: "B",
    title: "Secrets Manager GetSecretValue",
    accessKeyId: EXAMPLE_AKIA,
    secretAccessKey: EXAMPLE_SECRET,
    time: T_2024_01_15,
    region: "us-east-1",
    service: "secretsmanager",
    request: {
      method: "POST",
      rawUrl: "/",
      rawHeaders: [
        "host", "secretsmanager.us-east-1.amazonaws.com",
        "content-type", "application/x-amz-json-1.1",
        "x-amz-target", "secretsmanager.GetSecretValue",
        "content-length", "27",
        "x-amz-date", "20240115T120000Z",
        "x-amz-content-sha256", GET_SECRET_VALUE_SHA256,
        "authorization", authorization(
          "AKIAIOSFODNN7EXAMPLE/20240115/us-east-1/secretsmanager/aws4_request",
          "content-length;content-type;host;x-amz-content-sha256;x-amz-date;x-amz-target",
          "d33e27411c6a9feefc2243263a669e02c897105294679a9957cdba31cb6f892a",
        ),
      ],
      body: GET_SECRET_VALUE_BODY,
    },
    canonicalRequest: lines(
      "POST",
      "/",
      "",
      "content-length:27",
      "content-type:application/x-amz-json-1.1",
      "host:secretsmanager.us-east-1.amazonaws.com",
      `x-amz-content-sha256:${GET_SECRET_VALUE_SHA256}`,
      "x-amz-date:20240115T120000Z",
      "x-amz-target:secretsmanager.GetSecretValue",
      "",
      "content-length;content-type;host;x-amz-content-sha256;x-amz-date;x-amz-target",
      GET_SECRET_VALUE_SHA256,
    ),
    canonicalRequestHash: "5b018355f411b31fea7a1e06bba7a2bfcd0a6bee54a633e02585e2273b17f045",
    stringToSign: lines(
      "AWS4-HMAC-SHA256",
      "20240115T120000Z",
      "20240115/us-east-1/secretsmanager/aws4_request",
      "5b018355f411b31fea7a1e06bba7a2bfcd0a6bee54a633e02585e2273b17f045",
    ),
    keyDerivation: {
      kDate: "0bbc7ae0c973cb4e56ca4f65c83ec0b86fa6d988c396024b511258f18058a7c2",
      kRegion: "17adcaaac8e43b739510a318525f93233cac4614cb27ff04a1c2941da3e765e7",
      kService: "3fd1fe6f8579462d256b5af4f612fe657ea65cf973983ee699d6e3ca143c1810",
      kSigning: "0b849a070b93bb6264a35219079b17c51d348b707f71928f9c5a6e666f340854",
    },
    signature: "d33e27411c6a9feefc2243263a669e02c897105294679a9957cdba31cb6f892a",
  },
  {
    id: "C",
    title: "STS GetCallerIdentity, form POST, temporary credentials",
    accessKeyId: EXAMPLE_ASIA,
    secretAccessKey: EXAMPLE_SECRET,
    sessionToken: EXAMPLE_TOKEN,
    time: T_2024_01_15,
    region: "us-east-1",
    service: "sts",
    request: {
      method: "POST",
      rawUrl: "/",
      rawHeaders: [
        "Host", "sts.us-east-1.amazonaws.com",
        "Content-Type", "application/x-www-form-urlencoded; charset=utf-8",
        "X-Amz-Date", "20240115T120000Z",
        "X-Amz-Security-Token", EXAMPLE_TOKEN,
        "Authorization", authorization(
          "ASIAIOSFODNN7EXAMPLE/20240115/us-east-1/sts/aws4_request",
          "content-type;host;x-amz-date;x-amz-security-token",
          "2a25224b5b38289fc95e8a77ad6884777c734f06ebe6688cf8eba86543114c65",
        ),
        // Sent but not signed, as the CLI does.
        "Content-Length", "43",
      ],
      body: "Action=GetCallerIdentity&Version=2011-06-15",
    },
    canonicalRequest: lines(
      "POST",
      "/",
      "",
      "content-type:application/x-www-form-urlencoded; charset=utf-8",
      "host:sts.us-east-1.amazonaws.com",
      "x-amz-date:20240115T120000Z",
      `x-amz-security-token:${EXAMPLE_TOKEN}`,
      "",
      "content-type;host;x-amz-date;x-amz-security-token",
      "ab821ae955788b0e33ebd34c208442ccfc2d406e2edc5e7a39bd6458fbb4f843",
    ),
    canonicalRequestHash: "4f58497a6d59ef9bd30541c1918aa8eebd99e69b39d872fb1e17300d9e432f72",
    keyDerivation: { kSigning: "c1a78205e84844de7463980b6e986343bffa13eca3fbc091db6f1417303a8948" },
    signature: "2a25224b5b38289fc95e8a77ad6884777c734f06ebe6688cf8eba86543114c65",
  },
  {
    id: "D",
    title: "presigned GET STS GetCallerIdentity",
    accessKeyId: EXAMPLE_AKIA,
    secretAccessKey: EXAMPLE_SECRET,
    time: T_2024_01_15,
    region: "us-east-1",
    service: "sts",
    request: {
      method: "GET",
      rawUrl:
        "/?" + presignedQueryD +
        "&X-Amz-Signature=f16399c70d3976e38dad3bf8eacc4401b9252bc2d677d68705a6143f7528b01d",
      rawHeaders: ["Host", "sts.us-east-1.amazonaws.com"],
      body: "",
    },
    canonicalRequest: lines(
      "GET",
      "/",
      presignedQueryD,
      "host:sts.us-east-1.amazonaws.com",
      "",
      "host",
      EMPTY_SHA256,
    ),
    canonicalRequestHash: "cae2912705e43716a0fce34b93e781880ed738bb60f5d9b0fb4a2adfb4079089",
    signature: "f16399c70d3976e38dad3bf8eacc4401b9252bc2d677d68705a6143f7528b01d",
  },
  {
    id: "E",
    title: "encoding edge cases (path normalisation, query ordering, header folding)",
    accessKeyId: EXAMPLE_AKIA,
    secretAccessKey: EXAMPLE_SECRET,
    time: T_2024_01_15,
    region: "us-east-1",
    service: "execute-api",
    request: {
      method: "GET",
      rawUrl: "/a%20b/c*d/./../e~?b=2&b=1&a%20b=x%2Fy&c=&~t=%21",
      rawHeaders: [
        "Host", "h.example",
        "X-Amz-Date", "20240115T120000Z",
        "X-Amz-Meta", "  a   b  ",
        "Authorization", authorization(
          "AKIAIOSFODNN7EXAMPLE/20240115/us-east-1/execute-api/aws4_request",
          "host;x-amz-date;x-amz-meta",
          "b5fb498e43763592f0fecda241fd479dd8e4bbec9d5d2ca1f2d284a92b75f4db",
        ),
      ],
      body: "",
    },
    canonicalRequest: lines(
      "GET",
      "/a%2520b/e~",
      "a%20b=x%2Fy&b=1&b=2&c=&~t=%21",
      "host:h.example",
      "x-amz-date:20240115T120000Z",
      "x-amz-meta:a b",
      "",
      "host;x-amz-date;x-amz-meta",
      EMPTY_SHA256,
    ),
    signature: "b5fb498e43763592f0fecda241fd479dd8e4bbec9d5d2ca1f2d284a92b75f4db",
  },
  {
    id: "F",
    title: "UNSIGNED-PAYLOAD",
    accessKeyId: EXAMPLE_AKIA,
    secretAccessKey: EXAMPLE_SECRET,
    time: T_2024_01_15,
    region: "us-east-1",
    service: "secretsmanager",
    unsignedPayload: true,
    request: {
      method: "POST",
      rawUrl: "/",
      rawHeaders: [
        "host", "secretsmanager.us-east-1.amazonaws.com",
        "content-type", "application/x-amz-json-1.1",
        "x-amz-target", "secretsmanager.GetSecretValue",
        "x-amz-date", "20240115T120000Z",
        "x-amz-content-sha256", "UNSIGNED-PAYLOAD",
        "authorization", authorization(
          "AKIAIOSFODNN7EXAMPLE/20240115/us-east-1/secretsmanager/aws4_request",
          "content-type;host;x-amz-content-sha256;x-amz-date;x-amz-target",
          "645e51cafa1259dcaa57a935671bc90e6c0934a8f3661fa78401071d08cade0c",
        ),
      ],
      body: GET_SECRET_VALUE_BODY,
    },
    canonicalRequest: lines(
      "POST",
      "/",
      "",
      "content-type:application/x-amz-json-1.1",
      "host:secretsmanager.us-east-1.amazonaws.com",
      "x-amz-content-sha256:UNSIGNED-PAYLOAD",
      "x-amz-date:20240115T120000Z",
      "x-amz-target:secretsmanager.GetSecretValue",
      "",
      "content-type;host;x-amz-content-sha256;x-amz-date;x-amz-target",
      "UNSIGNED-PAYLOAD",
    ),
    canonicalRequestHash: "f3c41a7562bd3ccad3596a11dbb1c4c8c1e522cbe3b05719d3883d3c4288d777",
    signature: "645e51cafa1259dcaa57a935671bc90e6c0934a8f3661fa78401071d08cade0c",
  },
];
