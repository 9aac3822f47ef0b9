// Offline schema check of every manifest in deploy/kubernetes against the Kubernetes and KEDA OpenAPI schemas that
// kubernetes-models ships (nothing is applied, no cluster is contacted). Exit 0: every document valid.
import { readFileSync, readdirSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "yaml";
import { ConfigMap, Secret, Service } from "kubernetes-models/v1";
import { Deployment } from "kubernetes-models/apps/v1";
import { PodDisruptionBudget } from "kubernetes-models/policy/v1";
import { ScaledObject } from "@kubernetes-models/keda/keda.sh/v1alpha1";

const models = {
  "v1/ConfigMap": ConfigMap, "v1/Secret": Secret, "v1/Service": Service, "apps/v1/Deployment": Deployment,
  "policy/v1/PodDisruptionBudget": PodDisruptionBudget, "keda.sh/v1alpha1/ScaledObject": ScaledObject,
};
const dir = process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), "..");
let passed = 0;
let failed = 0;
for (const file of readdirSync(dir).filter((f) => f.endsWith(".yaml")).sort()) {
  for (const doc of parseAllDocuments(readFileSync(join(dir, file), "utf8"))) {
    const where = `${file}`;
    if (doc.errors.length) {
      console.log(`FAIL ${where}: YAML: ${doc.errors[0].message}`);
      failed++;
      continue;
    }
    const obj = doc.toJS();
    const Model = models[`${obj.apiVersion}/${obj.kind}`];
    if (!Model) {
      console.log(`FAIL ${where}: no schema for ${obj.apiVersion} ${obj.kind}`);
      failed++;
      continue;
    }
    try {
      new Model(obj).validate();
      console.log(`ok   ${where}: ${obj.kind} ${obj.metadata?.name}`);
      passed++;
    } catch (e) {
      console.log(`FAIL ${where}: ${obj.kind} ${obj.metadata?.name}: ${e.message}`);
      failed++;
    }
  }
}
console.log(`k8s-schema: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
