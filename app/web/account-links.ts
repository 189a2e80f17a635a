// The status of a page answering a refused emailed link: a forged or unknown one is not found
// (400, the request is wrong), an expired or spent one is gone (410).
export function linkProblemStatus(problem: "invalid" | "expired" | "used" | "taken"): 400 | 409 | 410 {
  if (problem === "taken") return 409;
  return problem === "invalid" ? 400 : 410;
}
