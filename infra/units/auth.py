"""Auth unit: the Cognito user pool applicants and staff sign in to.

The web app signs in with the hosted UI (authorisation code + PKCE) and sends the ID/access
token to the API; the API and the gateway's authoriser verify it against the pool. Staff are
members of the `staff` group (the API reads `cognito:groups`); everybody else is an applicant,
and self sign-up adds no group. No identity pool: the UI never calls AWS directly, every call
goes through the API.
"""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_cognito as cognito
from constructs import Construct

from infra.nag import accept

GROUPS = {"applicant": "Loan applicants (self sign-up)", "staff": "Bank staff: reviews, KB, KPIs"}


class Auth(Construct):
    """User pool, groups, the web app client and the hosted domain."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        stage: str,
        domain_prefix: str,
        ui_origin: str,
        retain: bool,
    ) -> None:
        super().__init__(scope, construct_id)
        self.user_pool = cognito.UserPool(
            self,
            "UserPool",
            user_pool_name=f"loan-advisor-{stage}",
            self_sign_up_enabled=True,
            sign_in_aliases=cognito.SignInAliases(email=True),
            auto_verify=cognito.AutoVerifiedAttrs(email=True),
            standard_attributes=cognito.StandardAttributes(
                email=cognito.StandardAttribute(required=True, mutable=True)
            ),
            password_policy=cognito.PasswordPolicy(
                min_length=12,
                require_digits=True,
                require_lowercase=True,
                require_uppercase=True,
                require_symbols=True,
                temp_password_validity=cdk.Duration.days(3),
            ),
            mfa=cognito.Mfa.OPTIONAL,
            mfa_second_factor=cognito.MfaSecondFactor(sms=False, otp=True),
            account_recovery=cognito.AccountRecovery.EMAIL_ONLY,
            deletion_protection=retain,
            removal_policy=cdk.RemovalPolicy.RETAIN if retain else cdk.RemovalPolicy.DESTROY,
        )
        self.groups = {
            name: cognito.CfnUserPoolGroup(
                self,
                f"Group-{name}",
                user_pool_id=self.user_pool.user_pool_id,
                group_name=name,
                description=description,
            )
            for name, description in GROUPS.items()
        }
        self.client = self.user_pool.add_client(
            "WebClient",
            user_pool_client_name=f"loan-advisor-web-{stage}",
            generate_secret=False,  # a browser app cannot keep a secret; PKCE protects the code
            auth_flows=cognito.AuthFlow(user_srp=True),
            o_auth=cognito.OAuthSettings(
                flows=cognito.OAuthFlows(authorization_code_grant=True),
                scopes=[cognito.OAuthScope.OPENID, cognito.OAuthScope.EMAIL],
                callback_urls=[f"{ui_origin}/"],
                logout_urls=[f"{ui_origin}/"],
            ),
            prevent_user_existence_errors=True,
            access_token_validity=cdk.Duration.hours(1),
            id_token_validity=cdk.Duration.hours(1),
            refresh_token_validity=cdk.Duration.days(30),
        )
        accept(
            self.user_pool,
            {
                "COG8": "Plus-tier threat protection is a per-bank cost decision; MFA (TOTP) is "
                "offered and staff accounts are created by administrators",
            },
        )
        self.domain = self.user_pool.add_domain(
            "HostedDomain",
            cognito_domain=cognito.CognitoDomainOptions(domain_prefix=domain_prefix),
        )

    @property
    def issuer(self) -> str:
        """Return the token issuer (`LOAN_ADVISOR_COGNITO_ISSUER`)."""
        return self.user_pool.user_pool_provider_url

    @property
    def jwks_url(self) -> str:
        """Return the JWKS the API verifies tokens with (`LOAN_ADVISOR_COGNITO_JWKS_URL`)."""
        return f"{self.user_pool.user_pool_provider_url}/.well-known/jwks.json"
