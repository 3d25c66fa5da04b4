//! `GET /api/v1/openapi.json`: the API described for client generators and people.

use axum::Json;
use serde_json::{json, Value};

pub async fn document() -> Json<Value> {
    Json(spec())
}

fn spec() -> Value {
    let body_text = json!({
        "required": true,
        "content": {
            "message/rfc822": { "schema": { "type": "string" } },
            "application/json": { "schema": { "$ref": "#/components/schemas/ThreadJson" } },
            "text/plain": { "schema": { "type": "string" } }
        }
    });
    let err = |d: &str| json!({ "description": d, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } });
    let id_param = |name: &str, kind: &str| json!({ "name": name, "in": "path", "required": true, "schema": { "type": kind } });
    let q = |name: &str, d: &str| json!({ "name": name, "in": "query", "required": false, "description": d, "schema": { "type": "string" } });
    json!({
        "openapi": "3.0.3",
        "info": {
            "title": "tradescout API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Inquiries, buyer background checks, deals and insights. Authenticate with `Authorization: Bearer TOKEN` (from `tradescout token add NAME`) or a browser session (then send `X-CSRF-Token` on POST). A rep sees only their own threads and deals; another rep's are 404."
        },
        "servers": [{ "url": "/api/v1" }],
        "security": [{ "bearer": [] }],
        "paths": {
            "/analyze": { "post": {
                "summary": "Analyse an inquiry or thread without storing it",
                "requestBody": body_text,
                "responses": {
                    "200": { "description": "The analysis (an array when the input held several threads)",
                             "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Analysis" } } } },
                    "400": err("The input is empty or unreadable"), "401": err("Not signed in")
                }
            }},
            "/inquiries": { "post": {
                "summary": "Store an inquiry as the caller's and analyse it",
                "requestBody": body_text,
                "responses": {
                    "201": { "description": "Stored", "content": { "application/json": { "schema": {
                        "type": "object", "required": ["thread_id", "analysis"],
                        "properties": { "thread_id": { "type": "integer" }, "analysis": { "$ref": "#/components/schemas/Analysis" } } } } } },
                    "400": err("The input is empty or unreadable"), "401": err("Not signed in")
                }
            }},
            "/threads": { "get": {
                "summary": "Threads the caller may see, newest first",
                "parameters": [q("stage", "a stage label"), q("concern", "a concern label"), q("spam", "yes or no"),
                               q("q", "words in subject, participants or company"), q("limit", "1-1000"), q("offset", "rows to skip")],
                "responses": {
                    "200": { "description": "Threads; X-Total-Count has the number matching",
                             "content": { "application/json": { "schema": { "type": "array", "items": { "$ref": "#/components/schemas/ThreadSummary" } } } } },
                    "401": err("Not signed in")
                }
            }},
            "/threads/{id}": { "get": {
                "summary": "One thread with its messages, analysis and latest background check",
                "parameters": [id_param("id", "integer")],
                "responses": { "200": { "description": "The thread", "content": { "application/json": { "schema": { "type": "object",
                    "properties": { "thread": { "$ref": "#/components/schemas/ThreadSummary" }, "messages": { "type": "array", "items": { "type": "object" } },
                                    "analysis": { "$ref": "#/components/schemas/Analysis" }, "report": { "type": "object", "nullable": true } } } } } },
                    "401": err("Not signed in"), "404": err("No such thread, or not the caller's") }
            }},
            "/scout": { "post": {
                "summary": "Start a background check of a buyer (an email, domain, URL or company name)",
                "requestBody": { "required": true, "content": { "application/json": { "schema": { "type": "object", "required": ["target"],
                    "properties": { "target": { "type": "string" }, "thread_id": { "type": "integer" } } } } } },
                "responses": { "202": { "description": "Queued", "content": { "application/json": { "schema": { "type": "object",
                    "properties": { "job_id": { "type": "integer" }, "status": { "type": "string" } } } } } },
                    "400": err("Bad target"), "401": err("Not signed in"), "404": err("No such thread") }
            }},
            "/jobs/{id}": { "get": {
                "summary": "A background job: queued, running, done (with its result) or failed (with the error)",
                "parameters": [id_param("id", "integer")],
                "responses": { "200": { "description": "The job", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Job" } } } },
                    "401": err("Not signed in"), "404": err("No such job, or not the caller's") }
            }},
            "/insights": { "get": {
                "summary": "Funnel, win rates, cycle time, loss reasons, four-factor decomposition, drivers, lead-score quality",
                "parameters": [q("since", "YYYY-MM-DD"), q("until", "YYYY-MM-DD")],
                "responses": { "200": { "description": "The insights JSON", "content": { "application/json": { "schema": { "type": "object" } } } },
                    "400": err("A bad date"), "401": err("Not signed in") }
            }},
            "/today": { "get": {
                "summary": "Today: the threads that need the caller today (a manager may name a rep), highest priority first",
                "parameters": [q("rep", "a salesperson's name (managers and admins)")],
                "responses": { "200": { "description": "[{thread_id, reason (new_inquiry|buyer_waiting|follow_up_due|scam), action (reply|follow_up|discard), due (YYYY-MM-DD), priority, subject, company, stage, days_waiting, reason_text, action_text}]", "content": { "application/json": { "schema": { "type": "array", "items": { "type": "object" } } } } },
                    "400": err("No such salesperson"), "401": err("Not signed in") }
            }},
            "/deals": { "get": {
                "summary": "Deals the caller may see, newest first",
                "responses": { "200": { "description": "Deals", "content": { "application/json": { "schema": { "type": "array", "items": { "type": "object" } } } } },
                    "401": err("Not signed in") }
            }},
            "/deals/{id}/stage": { "post": {
                "summary": "Move a deal to a stage (kept in its history with who and when)",
                "parameters": [id_param("id", "string")],
                "requestBody": { "required": true, "content": { "application/json": { "schema": { "type": "object", "required": ["stage"],
                    "properties": { "stage": { "type": "string", "enum": ["need_recognition", "evaluation", "concerns", "decision", "implementation"] }, "note": { "type": "string" } } } } } },
                "responses": { "200": { "description": "Moved" }, "400": err("Not a stage"), "401": err("Not signed in"), "404": err("No such deal, or not the caller's") }
            }}
        },
        "components": {
            "securitySchemes": { "bearer": { "type": "http", "scheme": "bearer" } },
            "schemas": {
                "Error": { "type": "object", "required": ["error", "message"], "properties": { "error": { "type": "string" }, "message": { "type": "string" } } },
                "ThreadJson": { "type": "object", "required": ["messages"], "properties": { "messages": { "type": "array", "items": { "type": "object", "required": ["text"],
                    "properties": { "from": { "type": "string", "description": "buyer, seller or Name <addr>" }, "date": { "type": "string" }, "subject": { "type": "string" }, "text": { "type": "string" } } } } } },
                "Analysis": { "type": "object", "required": ["language", "buyer", "request", "stage", "concerns", "spam", "next_actions", "questions"],
                    "properties": { "language": { "type": "string", "nullable": true }, "buyer": { "type": "object" }, "request": { "type": "object" },
                        "stage": { "type": "object", "properties": { "label": { "type": "string" }, "confidence": { "type": "number" }, "evidence": { "type": "array", "items": { "type": "string" } }, "suppressed": { "type": "boolean" }, "unsure": { "type": "boolean" } } },
                        "concerns": { "type": "array", "items": { "type": "object" } }, "spam": { "type": "object" },
                        "next_actions": { "type": "array", "items": { "type": "object" } }, "questions": { "type": "array", "items": { "type": "object" } } } },
                "ThreadSummary": { "type": "object", "properties": {
                    "id": { "type": "integer" }, "subject": { "type": "string" }, "message_count": { "type": "integer" },
                    "participants": { "type": "array", "items": { "type": "string" } }, "first_at": { "type": "string", "nullable": true },
                    "last_at": { "type": "string", "nullable": true }, "owner_user_id": { "type": "integer", "nullable": true },
                    "stage": { "type": "string", "nullable": true }, "top_concern": { "type": "string", "nullable": true },
                    "language": { "type": "string", "nullable": true }, "country": { "type": "string", "nullable": true },
                    "is_spam": { "type": "boolean" }, "fit_score": { "type": "integer", "nullable": true },
                    "risk_score": { "type": "integer", "nullable": true }, "lead_score": { "type": "number", "nullable": true } } },
                "Job": { "type": "object", "properties": { "id": { "type": "integer" }, "kind": { "type": "string" }, "status": { "type": "string", "enum": ["queued", "running", "done", "failed"] },
                    "result": { "type": "object", "nullable": true }, "error": { "type": "string", "nullable": true } } }
            }
        }
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_contract_route_is_documented() {
        let spec = super::spec();
        for path in [
            "/analyze",
            "/inquiries",
            "/threads",
            "/threads/{id}",
            "/scout",
            "/jobs/{id}",
            "/insights",
            "/today",
        ] {
            assert!(spec["paths"].get(path).is_some(), "{path} missing");
        }
    }
}
