"""Frontend unit: the built web app on S3 behind CloudFront, with the API on the same origin.

CloudFront serves `frontend/dist` from a private bucket (origin access control) and forwards
`/v1/*`, the health probes and the JWKS to the API stage, uncached, so the browser talks to one
origin and the UI needs no CORS. A viewer-request function maps the app's client-side routes
to `index.html`; error pages are not rewritten, so API errors reach the client unchanged. CI
uploads the bundle (`aws s3 sync`) and invalidates the cache after a deploy.
"""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_apigateway as apigw
from aws_cdk import aws_certificatemanager as acm
from aws_cdk import aws_cloudfront as cloudfront
from aws_cdk import aws_cloudfront_origins as origins
from aws_cdk import aws_s3 as s3
from constructs import Construct

from infra.config import StageConfig
from infra.nag import accept
from infra.units.data import secure_bucket

API_PATHS = ("/v1/*", "/healthz", "/readyz", "/.well-known/*")
SPA_REWRITE = """
function handler(event) {
  var request = event.request;
  if (request.uri.indexOf('.') === -1) { request.uri = '/index.html'; }
  return request;
}
"""


class Frontend(Construct):
    """The web app bucket and the distribution in front of it and the API."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        config: StageConfig,
        api: apigw.RestApi,
        access_logs: s3.IBucket,
    ) -> None:
        super().__init__(scope, construct_id)
        removal = cdk.RemovalPolicy.RETAIN if config.retain_data else cdk.RemovalPolicy.DESTROY
        self.bucket = secure_bucket(
            self, "WebApp", removal=removal, noncurrent_days=30, access_logs=access_logs
        )
        api_cache = cloudfront.CachePolicy(
            self,
            "ApiNoCache",
            comment="API: not cached (TTL 0) but the Authorization header reaches the origin",
            default_ttl=cdk.Duration.seconds(0),
            min_ttl=cdk.Duration.seconds(0),
            max_ttl=cdk.Duration.seconds(1),
            header_behavior=cloudfront.CacheHeaderBehavior.allow_list("Authorization"),
            query_string_behavior=cloudfront.CacheQueryStringBehavior.all(),
            cookie_behavior=cloudfront.CacheCookieBehavior.none(),
            enable_accept_encoding_gzip=False,  # compression would buffer the SSE stream
            enable_accept_encoding_brotli=False,
        )
        api_behavior = cloudfront.BehaviorOptions(
            origin=origins.RestApiOrigin(api),
            viewer_protocol_policy=cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
            allowed_methods=cloudfront.AllowedMethods.ALLOW_ALL,
            cache_policy=api_cache,
            origin_request_policy=cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
            compress=False,
        )
        rewrite = cloudfront.Function(
            self,
            "SpaRewrite",
            code=cloudfront.FunctionCode.from_inline(SPA_REWRITE),
            runtime=cloudfront.FunctionRuntime.JS_2_0,
        )
        certificate = (
            acm.Certificate.from_certificate_arn(self, "Certificate", config.certificate_arn)
            if config.certificate_arn
            else None
        )
        self.distribution = cloudfront.Distribution(
            self,
            "Distribution",
            comment=f"Loan Advisor {config.name}",
            default_root_object="index.html",
            domain_names=[config.domain_name] if certificate else None,
            certificate=certificate,
            minimum_protocol_version=cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
            http_version=cloudfront.HttpVersion.HTTP2_AND_3,
            enable_logging=True,
            log_bucket=access_logs,
            log_file_prefix="cloudfront/",
            default_behavior=cloudfront.BehaviorOptions(
                origin=origins.S3BucketOrigin.with_origin_access_control(self.bucket),
                viewer_protocol_policy=cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
                cache_policy=cloudfront.CachePolicy.CACHING_OPTIMIZED,
                response_headers_policy=cloudfront.ResponseHeadersPolicy.SECURITY_HEADERS,
                function_associations=[
                    cloudfront.FunctionAssociation(
                        function=rewrite, event_type=cloudfront.FunctionEventType.VIEWER_REQUEST
                    )
                ],
            ),
            additional_behaviors=dict.fromkeys(API_PATHS, api_behavior),
        )
        reasons = {
            "CFR1": "Applicants are served wherever they are; the bank's policy decides",
            "CFR2": "A CloudFront WAF must live in us-east-1; the API origin has a regional WAF "
            "and the static app has no server-side logic",
        }
        if certificate is None:
            reasons["CFR4"] = (
                "Without certificate_arn CloudFront's default certificate is used; set it to "
                "serve the domain with TLS 1.2 minimum"
            )
        accept(self.distribution, reasons)
