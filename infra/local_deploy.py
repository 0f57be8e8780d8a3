"""Deploy synthesised stacks to a local AWS stand-in (moto server), to run the code against them.

The integration test `tests/integration/test_infra_moto_deploy.py` deploys the data stack's
template through moto's CloudFormation and builds the auth stack's user pool from its template,
then runs the product in AWS mode against what they created: the code and the templates must
agree about table names, keys, indexes, the bucket, the user pool client and its groups.

moto's CloudFormation implements only some resource types. The ones it lacks are stripped from
the deployed copy (`UNSUPPORTED`, each with the reason and what checks the resource instead);
Cognito resources are created through the cognito-idp API from the template's own properties
(`create_user_pool`), because the API and sign-in need a real pool.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping
from typing import Any

Template = dict[str, Any]

COGNITO = {
    "AWS::Cognito::UserPool",
    "AWS::Cognito::UserPoolClient",
    "AWS::Cognito::UserPoolGroup",
    "AWS::Cognito::UserPoolDomain",
}
UNSUPPORTED: dict[str, str] = {
    "AWS::S3::BucketPolicy": "moto's CloudFormation has no bucket policies; the TLS-only and "
    "log-delivery statements are checked by the synth tests (test_infra_data.py)",
    "AWS::CDK::Metadata": "CDK's usage report; no effect on the deployed resources",
    **dict.fromkeys(
        COGNITO,
        "moto's CloudFormation has no Cognito resources; create_user_pool makes them "
        "with the cognito-idp API from the same template properties",
    ),
}
# CDK's check that the target account ran `cdk bootstrap` (an SSM parameter): a stand-in has none.
BOOTSTRAP_PARAMETER = "BootstrapVersion"
BOOTSTRAP_RULE = "CheckBootstrapVersion"


def deployable(template: Template) -> tuple[Template, list[str]]:
    """Return a copy moto can deploy, and the logical ids of the resources stripped from it.

    Outputs and `DependsOn` entries that name a stripped resource go with it.
    """
    out = copy.deepcopy(template)
    resources: dict[str, Any] = out.get("Resources", {})
    stripped = sorted(k for k, v in resources.items() if v["Type"] in UNSUPPORTED)
    for logical_id in stripped:
        del resources[logical_id]
    for resource in resources.values():
        depends = resource.get("DependsOn")
        if isinstance(depends, list):
            resource["DependsOn"] = [d for d in depends if d not in stripped]
        elif depends in stripped:
            del resource["DependsOn"]
    outputs = out.get("Outputs", {})
    for key in [k for k, v in outputs.items() if _names_any(v, stripped)]:
        del outputs[key]
    out.get("Parameters", {}).pop(BOOTSTRAP_PARAMETER, None)
    out.get("Rules", {}).pop(BOOTSTRAP_RULE, None)
    for section in ("Parameters", "Rules", "Outputs"):
        if section in out and not out[section]:
            del out[section]
    return out, stripped


def _names_any(node: Any, logical_ids: list[str]) -> bool:
    text = json.dumps(node)
    return any(f'"{logical_id}"' in text for logical_id in logical_ids)


def deploy(cloudformation: Any, stack_name: str, template: Template) -> dict[str, str]:
    """Create the stack from the deployable copy; return its exports (name -> value).

    Raises RuntimeError with the stack's failure reasons if it does not complete.
    """
    body, _ = deployable(template)
    cloudformation.create_stack(StackName=stack_name, TemplateBody=json.dumps(body))
    stack = cloudformation.describe_stacks(StackName=stack_name)["Stacks"][0]
    if stack["StackStatus"] != "CREATE_COMPLETE":
        events = cloudformation.describe_stack_events(StackName=stack_name)["StackEvents"]
        reasons = [
            e.get("ResourceStatusReason", "") for e in events if "FAILED" in e["ResourceStatus"]
        ]
        raise RuntimeError(f"{stack_name}: {stack['StackStatus']}: {reasons}")
    return {e["Name"]: e["Value"] for e in cloudformation.list_exports()["Exports"]}


def _resolve(node: Any, refs: Mapping[str, Mapping[str, str]]) -> Any:
    """Resolve `Ref` / `Fn::GetAtt` against created resources (logical id -> attributes)."""
    if isinstance(node, dict):
        if "Ref" in node:
            return refs[node["Ref"]]["Ref"]
        if "Fn::GetAtt" in node:
            logical_id, attribute = node["Fn::GetAtt"]
            return refs[logical_id][attribute]
        return {k: _resolve(v, refs) for k, v in node.items()}
    if isinstance(node, list):
        return [_resolve(v, refs) for v in node]
    return node


# CloudFormation-only properties with no counterpart in the cognito-idp create call.
_POOL_SKIPPED = {"EnabledMfas", "UserPoolName"}


def create_user_pool(idp: Any, template: Template, region: str) -> dict[str, str]:
    """Create the template's user pool, clients, groups and domain; return its exports.

    Properties are passed through as the cognito-idp API's parameters of the same names
    (CloudFormation uses the API's names for these resources); `UserPoolName` becomes
    `PoolName`. `EnabledMfas` is skipped: the API sets it with `SetUserPoolMfaConfig`, and
    sign-in in the test needs no second factor.
    """
    resources = template["Resources"]
    refs: dict[str, dict[str, str]] = {}
    for logical_id, resource in _ordered(resources):
        props = _resolve(resource.get("Properties", {}), refs)
        refs[logical_id] = _create(idp, resource["Type"], props, region)
    return {
        output["Export"]["Name"]: str(_resolve(output["Value"], refs))
        for output in template.get("Outputs", {}).values()
        if "Export" in output
    }


def _ordered(resources: Mapping[str, Any]) -> list[tuple[str, Any]]:
    order = ["AWS::Cognito::UserPool", "AWS::Cognito::UserPoolClient"]
    cognito = [(k, v) for k, v in resources.items() if v["Type"] in COGNITO]
    return sorted(
        cognito, key=lambda kv: order.index(kv[1]["Type"]) if kv[1]["Type"] in order else 2
    )


def _create(idp: Any, kind: str, props: dict[str, Any], region: str) -> dict[str, str]:
    if kind == "AWS::Cognito::UserPool":
        params = {k: v for k, v in props.items() if k not in _POOL_SKIPPED}
        pool = idp.create_user_pool(PoolName=props["UserPoolName"], **params)["UserPool"]
        url = f"https://cognito-idp.{region}.amazonaws.com/{pool['Id']}"
        return {"Ref": pool["Id"], "Arn": pool["Arn"], "ProviderURL": url}
    if kind == "AWS::Cognito::UserPoolClient":
        client = idp.create_user_pool_client(**props)["UserPoolClient"]
        return {"Ref": client["ClientId"]}
    if kind == "AWS::Cognito::UserPoolGroup":
        idp.create_group(**props)
        return {"Ref": props["GroupName"]}
    idp.create_user_pool_domain(**props)
    return {"Ref": props["Domain"]}


def function_environment(
    template: Template, exports: Mapping[str, str]
) -> tuple[dict[str, str], set[str]]:
    """Return the API function's environment resolved against deployed stacks' exports.

    Values that import from a stack that was not deployed are left out; their names come back
    as the second item, so a caller must supply each of them on purpose.
    """
    (function,) = [
        r["Properties"]
        for r in template["Resources"].values()
        if r["Type"] == "AWS::Lambda::Function"
        and "LOAN_ADVISOR_MODE" in r["Properties"].get("Environment", {}).get("Variables", {})
    ]
    resolved: dict[str, str] = {}
    missing: set[str] = set()
    for name, value in function["Environment"]["Variables"].items():
        text = _value(value, exports)
        if text is None:
            missing.add(name)
        else:
            resolved[name] = text
    return resolved, missing


def _value(node: Any, exports: Mapping[str, str]) -> str | None:
    if isinstance(node, str):
        return node
    if "Fn::ImportValue" in node:
        return exports.get(node["Fn::ImportValue"])
    if "Fn::Join" in node:
        separator, parts = node["Fn::Join"]
        texts = [_value(p, exports) for p in parts]
        return None if None in texts else separator.join(t for t in texts if t is not None)
    raise ValueError(f"unsupported intrinsic in the function environment: {node}")
