// Generated from the OpenAPI document by `npm run client:generate`; do not edit (a test checks it matches).
export interface paths {
    "/healthz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {string} */
                            status: "ok";
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/mcp": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description Needs an API key (any scope). */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        /** @description Needs an API key (any scope). */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            /** @description A JSON-RPC 2.0 request or notification of the MCP Streamable HTTP transport */
            requestBody: {
                content: {
                    "application/json": {
                        id?: string | number;
                        /** @enum {string} */
                        jsonrpc: "2.0";
                        method: string;
                        params?: {
                            [key: string]: unknown;
                        };
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The JSON-RPC response (MCP Streamable HTTP, stateless) */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": unknown;
                    };
                };
                /** @description No content */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        /** @description Needs an API key (any scope). */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Prometheus text exposition format */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": string;
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/readyz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            checks: {
                                [key: string]: string;
                            };
                            error?: {
                                /**
                                 * @description Stable error code; see the catalogue in the API description
                                 * @enum {string}
                                 */
                                code: "BAD_REQUEST" | "VALIDATION_FAILED" | "INVALID_JSON" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "ROUTE_NOT_FOUND" | "METHOD_NOT_ALLOWED" | "NOT_ACCEPTABLE" | "CORPUS_NOT_FOUND" | "DOCUMENT_NOT_FOUND" | "JOB_NOT_FOUND" | "BUILD_NOT_FOUND" | "TRACE_NOT_FOUND" | "CANARY_NOT_FOUND" | "TENANT_NOT_FOUND" | "KEY_NOT_FOUND" | "CONVERSATION_NOT_FOUND" | "CONFLICT" | "CORPUS_EXISTS" | "IDEMPOTENCY_IN_PROGRESS" | "CONVERSATION_BUSY" | "BUILD_NOT_PROMOTABLE" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "EMPTY_FILE" | "IDEMPOTENCY_KEY_REUSED" | "BUDGET_EXCEEDED" | "RATE_LIMITED" | "EMBEDDING_MODEL_MISMATCH" | "EMBEDDING_MODEL_UNKNOWN" | "PDF_ENCRYPTED" | "PDF_CORRUPT" | "PDF_NO_TEXT" | "PDF_TIMEOUT" | "PARSE_FAILED" | "NO_TEXT" | "DOCX_CORRUPT" | "PPTX_CORRUPT" | "XLSX_CORRUPT" | "CSV_CORRUPT" | "ODF_CORRUPT" | "EPUB_CORRUPT" | "EML_CORRUPT" | "IMAGE_CORRUPT" | "OFFICE_ENCRYPTED" | "ARCHIVE_TOO_LARGE" | "SPREADSHEET_TOO_LARGE" | "IMAGE_TOO_LARGE" | "PARSE_TIMEOUT" | "OCR_FAILED" | "OCR_TIMEOUT" | "PROVIDER_ERROR" | "PROVIDER_RATE_LIMITED" | "PROVIDER_TIMEOUT" | "PROVIDER_BAD_OUTPUT" | "PROVIDER_QUOTA_EXCEEDED" | "CIRCUIT_OPEN" | "QUEUE_UNAVAILABLE" | "OVERLOADED" | "STORE_UNAVAILABLE" | "SHUTTING_DOWN" | "CONFIG_INVALID" | "INTERNAL" | "INDEX_UNAVAILABLE" | "INDEX_UNSUPPORTED" | "WEBHOOK_TARGET_FORBIDDEN" | "PROVIDER_OUTPUT_TRUNCATED";
                                details?: {
                                    [key: string]: unknown;
                                };
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                            /** @enum {string} */
                            status: "ready" | "unavailable";
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description Default Response */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            checks: {
                                [key: string]: string;
                            };
                            error?: {
                                /**
                                 * @description Stable error code; see the catalogue in the API description
                                 * @enum {string}
                                 */
                                code: "BAD_REQUEST" | "VALIDATION_FAILED" | "INVALID_JSON" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "ROUTE_NOT_FOUND" | "METHOD_NOT_ALLOWED" | "NOT_ACCEPTABLE" | "CORPUS_NOT_FOUND" | "DOCUMENT_NOT_FOUND" | "JOB_NOT_FOUND" | "BUILD_NOT_FOUND" | "TRACE_NOT_FOUND" | "CANARY_NOT_FOUND" | "TENANT_NOT_FOUND" | "KEY_NOT_FOUND" | "CONVERSATION_NOT_FOUND" | "CONFLICT" | "CORPUS_EXISTS" | "IDEMPOTENCY_IN_PROGRESS" | "CONVERSATION_BUSY" | "BUILD_NOT_PROMOTABLE" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "EMPTY_FILE" | "IDEMPOTENCY_KEY_REUSED" | "BUDGET_EXCEEDED" | "RATE_LIMITED" | "EMBEDDING_MODEL_MISMATCH" | "EMBEDDING_MODEL_UNKNOWN" | "PDF_ENCRYPTED" | "PDF_CORRUPT" | "PDF_NO_TEXT" | "PDF_TIMEOUT" | "PARSE_FAILED" | "NO_TEXT" | "DOCX_CORRUPT" | "PPTX_CORRUPT" | "XLSX_CORRUPT" | "CSV_CORRUPT" | "ODF_CORRUPT" | "EPUB_CORRUPT" | "EML_CORRUPT" | "IMAGE_CORRUPT" | "OFFICE_ENCRYPTED" | "ARCHIVE_TOO_LARGE" | "SPREADSHEET_TOO_LARGE" | "IMAGE_TOO_LARGE" | "PARSE_TIMEOUT" | "OCR_FAILED" | "OCR_TIMEOUT" | "PROVIDER_ERROR" | "PROVIDER_RATE_LIMITED" | "PROVIDER_TIMEOUT" | "PROVIDER_BAD_OUTPUT" | "PROVIDER_QUOTA_EXCEEDED" | "CIRCUIT_OPEN" | "QUEUE_UNAVAILABLE" | "OVERLOADED" | "STORE_UNAVAILABLE" | "SHUTTING_DOWN" | "CONFIG_INVALID" | "INTERNAL" | "INDEX_UNAVAILABLE" | "INDEX_UNSUPPORTED" | "WEBHOOK_TARGET_FORBIDDEN" | "PROVIDER_OUTPUT_TRUNCATED";
                                details?: {
                                    [key: string]: unknown;
                                };
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                            /** @enum {string} */
                            status: "ready" | "unavailable";
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description Needs an API key with the `admin` scope (or `admin`). */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        /** @description Requests allowed per window */
                        "RateLimit-Limit"?: number;
                        /** @description Requests left in this window */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the window resets */
                        "RateLimit-Reset"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            keys: components["schemas"]["ApiKey"][];
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
            };
        };
        put?: never;
        /** @description Needs an API key with the `admin` scope (or `admin`). */
        post: {
            parameters: {
                query?: never;
                header?: {
                    /** @description Replays the first completed outcome of this key for 24 hours */
                    "Idempotency-Key"?: string;
                };
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        name: string;
                        scopes: ("ingest" | "query" | "admin")[];
                        tenant?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                201: {
                    headers: {
                        /** @description Requests allowed per window */
                        "RateLimit-Limit"?: number;
                        /** @description Requests left in this window */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the window resets */
                        "RateLimit-Reset"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description ISO 8601 timestamp */
                            createdAt: string;
                            id: string;
                            /** @description Shown only once */
                            key: string;
                            name: string;
                            prefix: string;
                            scopes: string[];
                            tenantId: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/keys/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** @description Needs an API key with the `admin` scope (or `admin`). */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No content */
                204: {
                    headers: {
                        /** @description Requests allowed per window */
                        "RateLimit-Limit"?: number;
                        /** @description Requests left in this window */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the window resets */
                        "RateLimit-Reset"?: number;
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/tenants": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description Needs an API key with the `admin` scope (or `admin`). */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        /** @description Requests allowed per window */
                        "RateLimit-Limit"?: number;
                        /** @description Requests left in this window */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the window resets */
                        "RateLimit-Reset"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            tenants: components["schemas"]["Tenant"][];
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
            };
        };
        put?: never;
        /** @description Needs an API key with the `admin` scope (or `admin`). */
        post: {
            parameters: {
                query?: never;
                header?: {
                    /** @description Replays the first completed outcome of this key for 24 hours */
                    "Idempotency-Key"?: string;
                };
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        limits?: {
                            DAILY_TOKEN_BUDGET?: number;
                            MAX_CONCURRENT_ANSWERS?: number;
                            RATE_LIMIT_ADMIN_PER_MINUTE?: number;
                            RATE_LIMIT_INGEST_PER_MINUTE?: number;
                            RATE_LIMIT_QUERY_PER_MINUTE?: number;
                            TOKENS_PER_MINUTE?: number;
                        };
                        name: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                201: {
                    headers: {
                        /** @description Requests allowed per window */
                        "RateLimit-Limit"?: number;
                        /** @description Requests left in this window */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the window resets */
                        "RateLimit-Reset"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Tenant"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/tenants/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** @description Needs an API key with the `admin` scope (or `admin`). */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        limits: {
                            DAILY_TOKEN_BUDGET?: number;
                            MAX_CONCURRENT_ANSWERS?: number;
                            RATE_LIMIT_ADMIN_PER_MINUTE?: number;
                            RATE_LIMIT_INGEST_PER_MINUTE?: number;
                            RATE_LIMIT_QUERY_PER_MINUTE?: number;
                            TOKENS_PER_MINUTE?: number;
                        };
                    };
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        /** @description Requests allowed per window */
                        "RateLimit-Limit"?: number;
                        /** @description Requests left in this window */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the window resets */
                        "RateLimit-Reset"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Tenant"];
                    };
                };
            };
        };
        trace?: never;
    };
    "/v1/builds/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description Needs an API key (any scope). */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Build"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/builds/{id}/promote": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** @description Needs an API key with the `admin` scope (or `admin`). */
        post: {
            parameters: {
                query?: {
                    force?: "true" | "false";
                };
                header?: {
                    /** @description Replays the first completed outcome of this key for 24 hours */
                    "Idempotency-Key"?: string;
                };
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        /** @description Requests allowed per window */
                        "RateLimit-Limit"?: number;
                        /** @description Requests left in this window */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the window resets */
                        "RateLimit-Reset"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Build"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/chunks/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description Needs an API key with the `query` scope (or `admin`). */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Chunk"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/conversations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description Needs an API key with the `query` scope (or `admin`). */
        get: {
            parameters: {
                query?: {
                    corpus?: string;
                    limit?: number;
                    offset?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            conversations: components["schemas"]["Conversation"][];
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
            };
        };
        put?: never;
        /** @description Needs an API key with the `query` scope (or `admin`). */
        post: {
            parameters: {
                query?: never;
                header?: {
                    /** @description Replays the first completed outcome of this key for 24 hours */
                    "Idempotency-Key"?: string;
                };
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        corpus: string;
                        title?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                201: {
                    headers: {
                        /** @description Requests allowed per window */
                        "RateLimit-Limit"?: number;
                        /** @description Requests left in this window */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the window resets */
                        "RateLimit-Reset"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            corpusId: string;
                            /** @description ISO 8601 timestamp */
                            createdAt: string;
                            expiresAt: string | null;
                            id: string;
                            messages: components["schemas"]["ConversationMessage"][];
                            title: string | null;
                            turns: number;
                            /** @description ISO 8601 timestamp */
                            updatedAt: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/conversations/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description Needs an API key with the `query` scope (or `admin`). */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            corpusId: string;
                            /** @description ISO 8601 timestamp */
                            createdAt: string;
                            expiresAt: string | null;
                            id: string;
                            messages: components["schemas"]["ConversationMessage"][];
                            title: string | null;
                            turns: number;
                            /** @description ISO 8601 timestamp */
                            updatedAt: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /** @description Needs an API key with the `query` scope (or `admin`). */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No content */
                204: {
                    headers: {
                        /** @description Requests allowed per window */
                        "RateLimit-Limit"?: number;
                        /** @description Requests left in this window */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the window resets */
                        "RateLimit-Reset"?: number;
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        options?: never;
        head?: never;
        /** @description Needs an API key with the `query` scope (or `admin`). */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        title: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        /** @description Requests allowed per window */
                        "RateLimit-Limit"?: number;
                        /** @description Requests left in this window */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the window resets */
                        "RateLimit-Reset"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Conversation"];
                    };
                };
            };
        };
        trace?: never;
    };
    "/v1/conversations/{id}/messages": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** @description Needs an API key with the `query` scope (or `admin`). */
        post: {
            parameters: {
                query?: never;
                header?: {
                    /** @description Replays the first completed outcome of this key for 24 hours */
                    "Idempotency-Key"?: string;
                };
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        question: string;
                        /**
                         * @description Answer the last turn again (with this question: the same, or edited) and replace it, instead of adding a turn
                         * @default false
                         */
                        regenerate?: boolean;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        /** @description Requests allowed per window */
                        "RateLimit-Limit"?: number;
                        /** @description Requests left in this window */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the window resets */
                        "RateLimit-Reset"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ConversationTurn"];
                        "text/event-stream": {
                            data?: {
                                sources: ({
                                    documentId: string;
                                    title: string;
                                } & {
                                    [key: string]: unknown;
                                })[];
                            } & {
                                [key: string]: unknown;
                            };
                            /** @constant */
                            event?: "retrieval";
                        } | {
                            data?: {
                                text: string;
                            } & {
                                [key: string]: unknown;
                            };
                            /** @constant */
                            event?: "delta";
                        } | {
                            data?: {
                                reason: ("retry" | "unverified") | string;
                            } & {
                                [key: string]: unknown;
                            };
                            /** @constant */
                            event?: "reset";
                        } | {
                            data?: components["schemas"]["Citation"];
                            /** @constant */
                            event?: "citation";
                        } | {
                            data?: components["schemas"]["Answer"];
                            /** @constant */
                            event?: "done";
                        } | {
                            data?: {
                                /**
                                 * @description Stable error code; see the catalogue in the API description
                                 * @enum {string}
                                 */
                                code: "BAD_REQUEST" | "VALIDATION_FAILED" | "INVALID_JSON" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "ROUTE_NOT_FOUND" | "METHOD_NOT_ALLOWED" | "NOT_ACCEPTABLE" | "CORPUS_NOT_FOUND" | "DOCUMENT_NOT_FOUND" | "JOB_NOT_FOUND" | "BUILD_NOT_FOUND" | "TRACE_NOT_FOUND" | "CANARY_NOT_FOUND" | "TENANT_NOT_FOUND" | "KEY_NOT_FOUND" | "CONVERSATION_NOT_FOUND" | "CONFLICT" | "CORPUS_EXISTS" | "IDEMPOTENCY_IN_PROGRESS" | "CONVERSATION_BUSY" | "BUILD_NOT_PROMOTABLE" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "EMPTY_FILE" | "IDEMPOTENCY_KEY_REUSED" | "BUDGET_EXCEEDED" | "RATE_LIMITED" | "EMBEDDING_MODEL_MISMATCH" | "EMBEDDING_MODEL_UNKNOWN" | "PDF_ENCRYPTED" | "PDF_CORRUPT" | "PDF_NO_TEXT" | "PDF_TIMEOUT" | "PARSE_FAILED" | "NO_TEXT" | "DOCX_CORRUPT" | "PPTX_CORRUPT" | "XLSX_CORRUPT" | "CSV_CORRUPT" | "ODF_CORRUPT" | "EPUB_CORRUPT" | "EML_CORRUPT" | "IMAGE_CORRUPT" | "OFFICE_ENCRYPTED" | "ARCHIVE_TOO_LARGE" | "SPREADSHEET_TOO_LARGE" | "IMAGE_TOO_LARGE" | "PARSE_TIMEOUT" | "OCR_FAILED" | "OCR_TIMEOUT" | "PROVIDER_ERROR" | "PROVIDER_RATE_LIMITED" | "PROVIDER_TIMEOUT" | "PROVIDER_BAD_OUTPUT" | "PROVIDER_QUOTA_EXCEEDED" | "CIRCUIT_OPEN" | "QUEUE_UNAVAILABLE" | "OVERLOADED" | "STORE_UNAVAILABLE" | "SHUTTING_DOWN" | "CONFIG_INVALID" | "INTERNAL" | "INDEX_UNAVAILABLE" | "INDEX_UNSUPPORTED" | "WEBHOOK_TARGET_FORBIDDEN" | "PROVIDER_OUTPUT_TRUNCATED";
                                details?: {
                                    [key: string]: unknown;
                                };
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                            /** @constant */
                            event?: "error";
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/corpora": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description Needs an API key (any scope). */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            corpora: components["schemas"]["Corpus"][];
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
            };
        };
        put?: never;
        /** @description Needs an API key with the `admin` scope (or `admin`). */
        post: {
            parameters: {
                query?: never;
                header?: {
                    /** @description Replays the first completed outcome of this key for 24 hours */
                    "Idempotency-Key"?: string;
                };
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        name: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                201: {
                    headers: {
                        /** @description Requests allowed per window */
                        "RateLimit-Limit"?: number;
                        /** @description Requests left in this window */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the window resets */
                        "RateLimit-Reset"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Corpus"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/corpora/{corpus}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description Needs an API key (any scope). */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    corpus: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Corpus"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/corpora/{corpus}/alerts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description Needs an API key (any scope). */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    corpus: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            alerts: ({
                                cause: string;
                                /** @description ISO 8601 timestamp */
                                createdAt: string;
                                delivered: boolean;
                                id: string;
                                runId: string | null;
                                status: string;
                                text: string;
                            } & {
                                [key: string]: unknown;
                            })[];
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/corpora/{corpus}/answers": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** @description Needs an API key with the `query` scope (or `admin`). */
        post: {
            parameters: {
                query?: never;
                header?: {
                    /** @description Replays the first completed outcome of this key for 24 hours */
                    "Idempotency-Key"?: string;
                };
                path: {
                    corpus: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /**
                         * @default {
                         *       "k": 8
                         *     }
                         */
                        options?: {
                            /** @default 8 */
                            k?: number;
                        };
                        question: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        /** @description Requests allowed per window */
                        "RateLimit-Limit"?: number;
                        /** @description Requests left in this window */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the window resets */
                        "RateLimit-Reset"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Answer"];
                        "text/event-stream": {
                            data?: {
                                sources: ({
                                    documentId: string;
                                    title: string;
                                } & {
                                    [key: string]: unknown;
                                })[];
                            } & {
                                [key: string]: unknown;
                            };
                            /** @constant */
                            event?: "retrieval";
                        } | {
                            data?: {
                                text: string;
                            } & {
                                [key: string]: unknown;
                            };
                            /** @constant */
                            event?: "delta";
                        } | {
                            data?: {
                                reason: ("retry" | "unverified") | string;
                            } & {
                                [key: string]: unknown;
                            };
                            /** @constant */
                            event?: "reset";
                        } | {
                            data?: components["schemas"]["Citation"];
                            /** @constant */
                            event?: "citation";
                        } | {
                            data?: components["schemas"]["Answer"];
                            /** @constant */
                            event?: "done";
                        } | {
                            data?: {
                                /**
                                 * @description Stable error code; see the catalogue in the API description
                                 * @enum {string}
                                 */
                                code: "BAD_REQUEST" | "VALIDATION_FAILED" | "INVALID_JSON" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "ROUTE_NOT_FOUND" | "METHOD_NOT_ALLOWED" | "NOT_ACCEPTABLE" | "CORPUS_NOT_FOUND" | "DOCUMENT_NOT_FOUND" | "JOB_NOT_FOUND" | "BUILD_NOT_FOUND" | "TRACE_NOT_FOUND" | "CANARY_NOT_FOUND" | "TENANT_NOT_FOUND" | "KEY_NOT_FOUND" | "CONVERSATION_NOT_FOUND" | "CONFLICT" | "CORPUS_EXISTS" | "IDEMPOTENCY_IN_PROGRESS" | "CONVERSATION_BUSY" | "BUILD_NOT_PROMOTABLE" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "EMPTY_FILE" | "IDEMPOTENCY_KEY_REUSED" | "BUDGET_EXCEEDED" | "RATE_LIMITED" | "EMBEDDING_MODEL_MISMATCH" | "EMBEDDING_MODEL_UNKNOWN" | "PDF_ENCRYPTED" | "PDF_CORRUPT" | "PDF_NO_TEXT" | "PDF_TIMEOUT" | "PARSE_FAILED" | "NO_TEXT" | "DOCX_CORRUPT" | "PPTX_CORRUPT" | "XLSX_CORRUPT" | "CSV_CORRUPT" | "ODF_CORRUPT" | "EPUB_CORRUPT" | "EML_CORRUPT" | "IMAGE_CORRUPT" | "OFFICE_ENCRYPTED" | "ARCHIVE_TOO_LARGE" | "SPREADSHEET_TOO_LARGE" | "IMAGE_TOO_LARGE" | "PARSE_TIMEOUT" | "OCR_FAILED" | "OCR_TIMEOUT" | "PROVIDER_ERROR" | "PROVIDER_RATE_LIMITED" | "PROVIDER_TIMEOUT" | "PROVIDER_BAD_OUTPUT" | "PROVIDER_QUOTA_EXCEEDED" | "CIRCUIT_OPEN" | "QUEUE_UNAVAILABLE" | "OVERLOADED" | "STORE_UNAVAILABLE" | "SHUTTING_DOWN" | "CONFIG_INVALID" | "INTERNAL" | "INDEX_UNAVAILABLE" | "INDEX_UNSUPPORTED" | "WEBHOOK_TARGET_FORBIDDEN" | "PROVIDER_OUTPUT_TRUNCATED";
                                details?: {
                                    [key: string]: unknown;
                                };
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                            /** @constant */
                            event?: "error";
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/corpora/{corpus}/builds": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description Needs an API key (any scope). */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    corpus: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            builds: components["schemas"]["Build"][];
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
            };
        };
        put?: never;
        /** @description Needs an API key with the `admin` scope (or `admin`). */
        post: {
            parameters: {
                query?: never;
                header?: {
                    /** @description Replays the first completed outcome of this key for 24 hours */
                    "Idempotency-Key"?: string;
                };
                path: {
                    corpus: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        chunker?: {
                            maxTokens?: number;
                            overlapTokens?: number;
                            targetTokens?: number;
                        };
                        embeddingModel?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                202: {
                    headers: {
                        /** @description Requests allowed per window */
                        "RateLimit-Limit"?: number;
                        /** @description Requests left in this window */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the window resets */
                        "RateLimit-Reset"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            build: components["schemas"]["Build"];
                            jobId: string | null;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/corpora/{corpus}/canaries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description Needs an API key (any scope). */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    corpus: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            canaries: components["schemas"]["Canary"][];
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
            };
        };
        put?: never;
        /** @description Needs an API key with the `admin` scope (or `admin`). */
        post: {
            parameters: {
                query?: never;
                header?: {
                    /** @description Replays the first completed outcome of this key for 24 hours */
                    "Idempotency-Key"?: string;
                };
                path: {
                    corpus: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        expect: {
                            chunkContains?: string;
                            /** Format: uuid */
                            documentId?: string;
                        };
                        k?: number;
                        query: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                201: {
                    headers: {
                        /** @description Requests allowed per window */
                        "RateLimit-Limit"?: number;
                        /** @description Requests left in this window */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the window resets */
                        "RateLimit-Reset"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Canary"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/corpora/{corpus}/canaries/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** @description Needs an API key with the `admin` scope (or `admin`). */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    corpus: string;
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No content */
                204: {
                    headers: {
                        /** @description Requests allowed per window */
                        "RateLimit-Limit"?: number;
                        /** @description Requests left in this window */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the window resets */
                        "RateLimit-Reset"?: number;
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/corpora/{corpus}/canaries/generate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** @description Needs an API key with the `admin` scope (or `admin`). */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    corpus: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @default 10 */
                        count?: number;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        /** @description Requests allowed per window */
                        "RateLimit-Limit"?: number;
                        /** @description Requests left in this window */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the window resets */
                        "RateLimit-Reset"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            proposals: ({
                                query: string;
                            } & {
                                [key: string]: unknown;
                            })[];
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/corpora/{corpus}/canaries/run": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** @description Needs an API key with the `admin` scope (or `admin`). */
        post: {
            parameters: {
                query?: never;
                header?: {
                    /** @description Replays the first completed outcome of this key for 24 hours */
                    "Idempotency-Key"?: string;
                };
                path: {
                    corpus: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        /** @description Requests allowed per window */
                        "RateLimit-Limit"?: number;
                        /** @description Requests left in this window */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the window resets */
                        "RateLimit-Reset"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["CanaryRun"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/corpora/{corpus}/canary-runs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description Needs an API key (any scope). */
        get: {
            parameters: {
                query?: {
                    limit?: number;
                };
                header?: never;
                path: {
                    corpus: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            runs: components["schemas"]["CanaryRun"][];
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/corpora/{corpus}/canary-settings": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description Needs an API key (any scope). */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    corpus: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["CanarySettings"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** @description Needs an API key with the `admin` scope (or `admin`). */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    corpus: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        cron?: string;
                        dropDelta?: number;
                        gateTolerance?: number;
                        threshold?: number;
                        timezone?: string;
                        webhooks?: string[];
                    };
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        /** @description Requests allowed per window */
                        "RateLimit-Limit"?: number;
                        /** @description Requests left in this window */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the window resets */
                        "RateLimit-Reset"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["CanarySettings"];
                    };
                };
            };
        };
        trace?: never;
    };
    "/v1/corpora/{corpus}/documents": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description Needs an API key (any scope). */
        get: {
            parameters: {
                query?: {
                    limit?: number;
                    offset?: number;
                };
                header?: never;
                path: {
                    corpus: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            documents: components["schemas"]["Document"][];
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
            };
        };
        put?: never;
        /** @description Needs an API key with the `ingest` scope (or `admin`). */
        post: {
            parameters: {
                query?: never;
                header?: {
                    /** @description Replays the first completed outcome of this key for 24 hours */
                    "Idempotency-Key"?: string;
                };
                path: {
                    corpus: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "multipart/form-data": {
                        externalId?: string;
                        /**
                         * Format: binary
                         * @description The document (type sniffed from its bytes)
                         */
                        file: string;
                        title?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                202: {
                    headers: {
                        /** @description Requests allowed per window */
                        "RateLimit-Limit"?: number;
                        /** @description Requests left in this window */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the window resets */
                        "RateLimit-Reset"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["UploadResult"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/corpora/{corpus}/search": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** @description Needs an API key with the `query` scope (or `admin`). */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    corpus: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        filters?: {
                            documentIds?: string[];
                        };
                        /** @default 10 */
                        k?: number;
                        /**
                         * @default hybrid+rerank
                         * @enum {string}
                         */
                        mode?: "hybrid+rerank" | "hybrid" | "bm25" | "vector";
                        query: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        /** @description Requests allowed per window */
                        "RateLimit-Limit"?: number;
                        /** @description Requests left in this window */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the window resets */
                        "RateLimit-Reset"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["SearchResponse"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/documents/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description Needs an API key (any scope). */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Document"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /** @description Needs an API key with the `ingest` scope (or `admin`). */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No content */
                204: {
                    headers: {
                        /** @description Requests allowed per window */
                        "RateLimit-Limit"?: number;
                        /** @description Requests left in this window */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the window resets */
                        "RateLimit-Reset"?: number;
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/feedback": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** @description Needs an API key with the `query` scope (or `admin`). */
        post: {
            parameters: {
                query?: never;
                header?: {
                    /** @description Replays the first completed outcome of this key for 24 hours */
                    "Idempotency-Key"?: string;
                };
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        comment?: string;
                        /** @enum {string} */
                        rating: "up" | "down";
                        /** Format: uuid */
                        traceId: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                201: {
                    headers: {
                        /** @description Requests allowed per window */
                        "RateLimit-Limit"?: number;
                        /** @description Requests left in this window */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the window resets */
                        "RateLimit-Reset"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            /** @enum {string} */
                            rating: "up" | "down";
                            traceId: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/jobs/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description Needs an API key (any scope). */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Job"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/traces/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description Needs an API key with the `query` scope (or `admin`). */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description ISO 8601 timestamp */
                            createdAt: string;
                            id: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/versions/{id}/original": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description Needs an API key with the `query` scope (or `admin`). */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The file as it was uploaded, with its sniffed content type and Content-Disposition */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": string;
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/versions/{id}/text": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description Needs an API key with the `query` scope (or `admin`). */
        get: {
            parameters: {
                query?: {
                    end?: number;
                    start?: number;
                };
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            end: number;
                            length: number;
                            start: number;
                            text: string;
                            versionId: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        Answer: {
            answer: string;
            cached: boolean;
            citations: components["schemas"]["Citation"][];
            degraded: boolean;
            gate: {
                /** @description Why the question was refused before generation, for the agent */
                message: string | null;
                passed: boolean;
                reason: string | null;
            } & {
                [key: string]: unknown;
            };
            /**
             * @description extractive: passages quoted by the local answerer (no language model); generative: a model wrote the answer
             * @enum {string}
             */
            mode: "extractive" | "generative";
            refusalReason: string | null;
            refused: boolean;
            sentences: ({
                citations: number[];
                text: string;
            } & {
                [key: string]: unknown;
            })[];
            sources: ({
                documentId: string;
                title: string;
            } & {
                [key: string]: unknown;
            })[];
            timings: {
                [key: string]: number;
            };
            traceId: string;
            usage: {
                /** @description Share of the input the provider read from its prompt cache */
                cachedShare: number;
                cachedTokens: number;
                cacheWriteTokens: number;
                costUsd: number;
                inputTokens: number;
                /** @description The model that answered, as the provider names it (dated id) */
                model: string;
                outputTokens: number;
                provider: string;
            } & {
                [key: string]: unknown;
            };
        } & {
            [key: string]: unknown;
        };
        AnswerInput: {
            answer: string;
            cached: boolean;
            citations: components["schemas"]["CitationInput"][];
            degraded: boolean;
            gate: {
                /** @description Why the question was refused before generation, for the agent */
                message: string | null;
                passed: boolean;
                reason: string | null;
            } & {
                [key: string]: unknown;
            };
            /**
             * @description extractive: passages quoted by the local answerer (no language model); generative: a model wrote the answer
             * @enum {string}
             */
            mode: "extractive" | "generative";
            refusalReason: string | null;
            refused: boolean;
            sentences: ({
                citations: number[];
                text: string;
            } & {
                [key: string]: unknown;
            })[];
            sources: ({
                documentId: string;
                title: string;
            } & {
                [key: string]: unknown;
            })[];
            timings: {
                [key: string]: number;
            };
            traceId: string;
            usage: {
                /** @description Share of the input the provider read from its prompt cache */
                cachedShare: number;
                cachedTokens: number;
                cacheWriteTokens: number;
                costUsd: number;
                inputTokens: number;
                /** @description The model that answered, as the provider names it (dated id) */
                model: string;
                outputTokens: number;
                provider: string;
            } & {
                [key: string]: unknown;
            };
        } & {
            [key: string]: unknown;
        };
        ApiKey: {
            /** @description ISO 8601 timestamp */
            createdAt: string;
            id: string;
            lastUsedAt: string | null;
            name: string;
            prefix: string;
            revokedAt: string | null;
            scopes: string[];
        } & {
            [key: string]: unknown;
        };
        ApiKeyInput: {
            /** @description ISO 8601 timestamp */
            createdAt: string;
            id: string;
            lastUsedAt: string | null;
            name: string;
            prefix: string;
            revokedAt: string | null;
            scopes: string[];
        } & {
            [key: string]: unknown;
        };
        Build: {
            analyzerVersion: string | number;
            canaryReport: unknown | null;
            chunker: {
                [key: string]: unknown;
            };
            chunkerHash: string;
            corpusId: string;
            /** @description ISO 8601 timestamp */
            createdAt: string;
            embeddingModel: string;
            id: string;
            promotedAt: string | null;
            stats: unknown;
            status: string;
            warning: string | null;
        } & {
            [key: string]: unknown;
        };
        BuildInput: {
            analyzerVersion: string | number;
            canaryReport: unknown | null;
            chunker: {
                [key: string]: unknown;
            };
            chunkerHash: string;
            corpusId: string;
            /** @description ISO 8601 timestamp */
            createdAt: string;
            embeddingModel: string;
            id: string;
            promotedAt: string | null;
            stats: unknown;
            status: string;
            warning: string | null;
        } & {
            [key: string]: unknown;
        };
        Canary: {
            corpusId: string;
            /** @description ISO 8601 timestamp */
            createdAt: string;
            expect: {
                chunkContains?: string;
                documentId?: string;
            } & {
                [key: string]: unknown;
            };
            id: string;
            k: number;
            query: string;
        } & {
            [key: string]: unknown;
        };
        CanaryInput: {
            corpusId: string;
            /** @description ISO 8601 timestamp */
            createdAt: string;
            expect: {
                chunkContains?: string;
                documentId?: string;
            } & {
                [key: string]: unknown;
            };
            id: string;
            k: number;
            query: string;
        } & {
            [key: string]: unknown;
        };
        CanaryRun: {
            buildId: string | null;
            corpusId: string;
            hits: number;
            id: string;
            k: number | null;
            mrr: number | null;
            recallAtK: number | null;
            total: number;
            trigger: string;
        } & {
            [key: string]: unknown;
        };
        CanaryRunInput: {
            buildId: string | null;
            corpusId: string;
            hits: number;
            id: string;
            k: number | null;
            mrr: number | null;
            recallAtK: number | null;
            total: number;
            trigger: string;
        } & {
            [key: string]: unknown;
        };
        CanarySettings: {
            [key: string]: unknown;
        };
        CanarySettingsInput: {
            [key: string]: unknown;
        };
        Chunk: {
            documentId: string;
            end: number;
            headingPath: string[] | null;
            id: string;
            ordinal: number;
            page: number | null;
            pageEnd: number | null;
            start: number;
            text: string;
            title: string | null;
            versionId: string;
        } & {
            [key: string]: unknown;
        };
        ChunkInput: {
            documentId: string;
            end: number;
            headingPath: string[] | null;
            id: string;
            ordinal: number;
            page: number | null;
            pageEnd: number | null;
            start: number;
            text: string;
            title: string | null;
            versionId: string;
        } & {
            [key: string]: unknown;
        };
        Citation: {
            chunkId: string;
            documentId: string;
            end: number;
            /** @description Section headings above the text (non-paginated sources) */
            headingPath?: string[] | null;
            n: number;
            /** @description Page where the text starts (paginated sources) */
            page: number | null;
            /** @description Page where it ends */
            pageEnd?: number | null;
            /** @description Verbatim text of the source */
            quote: string;
            /** @description Character offset in the version's normalized text */
            start: number;
            title: string;
            verified: boolean;
            versionId: string;
        } & {
            [key: string]: unknown;
        };
        CitationInput: {
            chunkId: string;
            documentId: string;
            end: number;
            /** @description Section headings above the text (non-paginated sources) */
            headingPath?: string[] | null;
            n: number;
            /** @description Page where the text starts (paginated sources) */
            page: number | null;
            /** @description Page where it ends */
            pageEnd?: number | null;
            /** @description Verbatim text of the source */
            quote: string;
            /** @description Character offset in the version's normalized text */
            start: number;
            title: string;
            verified: boolean;
            versionId: string;
        } & {
            [key: string]: unknown;
        };
        Conversation: {
            corpusId: string;
            /** @description ISO 8601 timestamp */
            createdAt: string;
            expiresAt: string | null;
            id: string;
            title: string | null;
            turns: number;
            /** @description ISO 8601 timestamp */
            updatedAt: string;
        } & {
            [key: string]: unknown;
        };
        ConversationInput: {
            corpusId: string;
            /** @description ISO 8601 timestamp */
            createdAt: string;
            expiresAt: string | null;
            id: string;
            title: string | null;
            turns: number;
            /** @description ISO 8601 timestamp */
            updatedAt: string;
        } & {
            [key: string]: unknown;
        };
        ConversationMessage: {
            /** @description The turn body as it was returned */
            answer: {
                citations: ({
                    chunkId: string;
                    /** @description The cited document version has been deleted since */
                    deleted: boolean;
                    documentId: string;
                    end: number;
                    /** @description Section headings above the text (non-paginated sources) */
                    headingPath?: string[] | null;
                    n: number;
                    /** @description Page where the text starts (paginated sources) */
                    page: number | null;
                    /** @description Page where it ends */
                    pageEnd?: number | null;
                    /** @description Verbatim text of the source */
                    quote: string;
                    /** @description Character offset in the version's normalized text */
                    start: number;
                    title: string;
                    verified: boolean;
                    versionId: string;
                } & {
                    [key: string]: unknown;
                })[];
            } & {
                [key: string]: unknown;
            };
            /** @description ISO 8601 timestamp */
            createdAt: string;
            /** @description The latest rating of this turn (POST /v1/feedback with its traceId) */
            feedback: ("up" | "down") | null;
            question: string;
            standaloneQuestion: string;
            traceId: string | null;
            turn: number;
        } & {
            [key: string]: unknown;
        };
        ConversationMessageInput: {
            /** @description The turn body as it was returned */
            answer: {
                citations: ({
                    chunkId: string;
                    /** @description The cited document version has been deleted since */
                    deleted: boolean;
                    documentId: string;
                    end: number;
                    /** @description Section headings above the text (non-paginated sources) */
                    headingPath?: string[] | null;
                    n: number;
                    /** @description Page where the text starts (paginated sources) */
                    page: number | null;
                    /** @description Page where it ends */
                    pageEnd?: number | null;
                    /** @description Verbatim text of the source */
                    quote: string;
                    /** @description Character offset in the version's normalized text */
                    start: number;
                    title: string;
                    verified: boolean;
                    versionId: string;
                } & {
                    [key: string]: unknown;
                })[];
            } & {
                [key: string]: unknown;
            };
            /** @description ISO 8601 timestamp */
            createdAt: string;
            /** @description The latest rating of this turn (POST /v1/feedback with its traceId) */
            feedback: ("up" | "down") | null;
            question: string;
            standaloneQuestion: string;
            traceId: string | null;
            turn: number;
        } & {
            [key: string]: unknown;
        };
        ConversationTurn: {
            answer: string;
            cached: boolean;
            citations: components["schemas"]["Citation"][];
            conversationId: string;
            degraded: boolean;
            gate: {
                /** @description Why the question was refused before generation, for the agent */
                message: string | null;
                passed: boolean;
                reason: string | null;
            } & {
                [key: string]: unknown;
            };
            /**
             * @description extractive: passages quoted by the local answerer (no language model); generative: a model wrote the answer
             * @enum {string}
             */
            mode: "extractive" | "generative";
            question: string;
            refusalReason: string | null;
            refused: boolean;
            /** @description Which rewriter produced standaloneQuestion */
            rewriter?: {
                /** @description none (first turn), local, cached (this turn rewritten before), or the provider */
                by: string;
                /** @description provider:model whose rewrite failed; the local rewrite stood in */
                fallbackFrom?: string;
                /** @description the error code of that failure */
                fallbackReason?: string;
                model?: string;
                ms: number;
                usage?: {
                    cachedTokens: number;
                    costUsd: number;
                    inputTokens: number;
                    outputTokens: number;
                } & {
                    [key: string]: unknown;
                };
            } & {
                [key: string]: unknown;
            };
            sentences: ({
                citations: number[];
                text: string;
            } & {
                [key: string]: unknown;
            })[];
            sources: ({
                documentId: string;
                title: string;
            } & {
                [key: string]: unknown;
            })[];
            /** @description The follow-up rewritten to stand alone; what retrieval searched for */
            standaloneQuestion: string;
            timings: {
                [key: string]: number;
            };
            traceId: string;
            turn: number;
            usage: {
                /** @description Share of the input the provider read from its prompt cache */
                cachedShare: number;
                cachedTokens: number;
                cacheWriteTokens: number;
                costUsd: number;
                inputTokens: number;
                /** @description The model that answered, as the provider names it (dated id) */
                model: string;
                outputTokens: number;
                provider: string;
            } & {
                [key: string]: unknown;
            };
        } & {
            [key: string]: unknown;
        };
        ConversationTurnInput: {
            answer: string;
            cached: boolean;
            citations: components["schemas"]["CitationInput"][];
            conversationId: string;
            degraded: boolean;
            gate: {
                /** @description Why the question was refused before generation, for the agent */
                message: string | null;
                passed: boolean;
                reason: string | null;
            } & {
                [key: string]: unknown;
            };
            /**
             * @description extractive: passages quoted by the local answerer (no language model); generative: a model wrote the answer
             * @enum {string}
             */
            mode: "extractive" | "generative";
            question: string;
            refusalReason: string | null;
            refused: boolean;
            /** @description Which rewriter produced standaloneQuestion */
            rewriter?: {
                /** @description none (first turn), local, cached (this turn rewritten before), or the provider */
                by: string;
                /** @description provider:model whose rewrite failed; the local rewrite stood in */
                fallbackFrom?: string;
                /** @description the error code of that failure */
                fallbackReason?: string;
                model?: string;
                ms: number;
                usage?: {
                    cachedTokens: number;
                    costUsd: number;
                    inputTokens: number;
                    outputTokens: number;
                } & {
                    [key: string]: unknown;
                };
            } & {
                [key: string]: unknown;
            };
            sentences: ({
                citations: number[];
                text: string;
            } & {
                [key: string]: unknown;
            })[];
            sources: ({
                documentId: string;
                title: string;
            } & {
                [key: string]: unknown;
            })[];
            /** @description The follow-up rewritten to stand alone; what retrieval searched for */
            standaloneQuestion: string;
            timings: {
                [key: string]: number;
            };
            traceId: string;
            turn: number;
            usage: {
                /** @description Share of the input the provider read from its prompt cache */
                cachedShare: number;
                cachedTokens: number;
                cacheWriteTokens: number;
                costUsd: number;
                inputTokens: number;
                /** @description The model that answered, as the provider names it (dated id) */
                model: string;
                outputTokens: number;
                provider: string;
            } & {
                [key: string]: unknown;
            };
        } & {
            [key: string]: unknown;
        };
        Corpus: {
            activeBuildId: string | null;
            /** @description ISO 8601 timestamp */
            createdAt: string;
            generation: number;
            id: string;
            name: string;
        } & {
            [key: string]: unknown;
        };
        CorpusInput: {
            activeBuildId: string | null;
            /** @description ISO 8601 timestamp */
            createdAt: string;
            generation: number;
            id: string;
            name: string;
        } & {
            [key: string]: unknown;
        };
        Document: {
            corpusId?: string;
            /** @description ISO 8601 timestamp */
            createdAt?: string;
            id: string;
            status?: string;
            title: string | null;
            versions: ({
                chunkCount?: number;
                /** @description ISO 8601 timestamp */
                createdAt?: string;
                id: string;
                pages?: number | null;
                status: string;
            } & {
                [key: string]: unknown;
            })[];
        } & {
            [key: string]: unknown;
        };
        DocumentInput: {
            corpusId?: string;
            /** @description ISO 8601 timestamp */
            createdAt?: string;
            id: string;
            status?: string;
            title: string | null;
            versions: ({
                chunkCount?: number;
                /** @description ISO 8601 timestamp */
                createdAt?: string;
                id: string;
                pages?: number | null;
                status: string;
            } & {
                [key: string]: unknown;
            })[];
        } & {
            [key: string]: unknown;
        };
        Error: {
            error: {
                /**
                 * @description Stable error code; see the catalogue in the API description
                 * @enum {string}
                 */
                code: "BAD_REQUEST" | "VALIDATION_FAILED" | "INVALID_JSON" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "ROUTE_NOT_FOUND" | "METHOD_NOT_ALLOWED" | "NOT_ACCEPTABLE" | "CORPUS_NOT_FOUND" | "DOCUMENT_NOT_FOUND" | "JOB_NOT_FOUND" | "BUILD_NOT_FOUND" | "TRACE_NOT_FOUND" | "CANARY_NOT_FOUND" | "TENANT_NOT_FOUND" | "KEY_NOT_FOUND" | "CONVERSATION_NOT_FOUND" | "CONFLICT" | "CORPUS_EXISTS" | "IDEMPOTENCY_IN_PROGRESS" | "CONVERSATION_BUSY" | "BUILD_NOT_PROMOTABLE" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "EMPTY_FILE" | "IDEMPOTENCY_KEY_REUSED" | "BUDGET_EXCEEDED" | "RATE_LIMITED" | "EMBEDDING_MODEL_MISMATCH" | "EMBEDDING_MODEL_UNKNOWN" | "PDF_ENCRYPTED" | "PDF_CORRUPT" | "PDF_NO_TEXT" | "PDF_TIMEOUT" | "PARSE_FAILED" | "NO_TEXT" | "DOCX_CORRUPT" | "PPTX_CORRUPT" | "XLSX_CORRUPT" | "CSV_CORRUPT" | "ODF_CORRUPT" | "EPUB_CORRUPT" | "EML_CORRUPT" | "IMAGE_CORRUPT" | "OFFICE_ENCRYPTED" | "ARCHIVE_TOO_LARGE" | "SPREADSHEET_TOO_LARGE" | "IMAGE_TOO_LARGE" | "PARSE_TIMEOUT" | "OCR_FAILED" | "OCR_TIMEOUT" | "PROVIDER_ERROR" | "PROVIDER_RATE_LIMITED" | "PROVIDER_TIMEOUT" | "PROVIDER_BAD_OUTPUT" | "PROVIDER_QUOTA_EXCEEDED" | "CIRCUIT_OPEN" | "QUEUE_UNAVAILABLE" | "OVERLOADED" | "STORE_UNAVAILABLE" | "SHUTTING_DOWN" | "CONFIG_INVALID" | "INTERNAL" | "INDEX_UNAVAILABLE" | "INDEX_UNSUPPORTED" | "WEBHOOK_TARGET_FORBIDDEN" | "PROVIDER_OUTPUT_TRUNCATED";
                details?: {
                    [key: string]: unknown;
                };
                message: string;
            } & {
                [key: string]: unknown;
            };
        };
        ErrorInput: {
            error: {
                /**
                 * @description Stable error code; see the catalogue in the API description
                 * @enum {string}
                 */
                code: "BAD_REQUEST" | "VALIDATION_FAILED" | "INVALID_JSON" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "ROUTE_NOT_FOUND" | "METHOD_NOT_ALLOWED" | "NOT_ACCEPTABLE" | "CORPUS_NOT_FOUND" | "DOCUMENT_NOT_FOUND" | "JOB_NOT_FOUND" | "BUILD_NOT_FOUND" | "TRACE_NOT_FOUND" | "CANARY_NOT_FOUND" | "TENANT_NOT_FOUND" | "KEY_NOT_FOUND" | "CONVERSATION_NOT_FOUND" | "CONFLICT" | "CORPUS_EXISTS" | "IDEMPOTENCY_IN_PROGRESS" | "CONVERSATION_BUSY" | "BUILD_NOT_PROMOTABLE" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "EMPTY_FILE" | "IDEMPOTENCY_KEY_REUSED" | "BUDGET_EXCEEDED" | "RATE_LIMITED" | "EMBEDDING_MODEL_MISMATCH" | "EMBEDDING_MODEL_UNKNOWN" | "PDF_ENCRYPTED" | "PDF_CORRUPT" | "PDF_NO_TEXT" | "PDF_TIMEOUT" | "PARSE_FAILED" | "NO_TEXT" | "DOCX_CORRUPT" | "PPTX_CORRUPT" | "XLSX_CORRUPT" | "CSV_CORRUPT" | "ODF_CORRUPT" | "EPUB_CORRUPT" | "EML_CORRUPT" | "IMAGE_CORRUPT" | "OFFICE_ENCRYPTED" | "ARCHIVE_TOO_LARGE" | "SPREADSHEET_TOO_LARGE" | "IMAGE_TOO_LARGE" | "PARSE_TIMEOUT" | "OCR_FAILED" | "OCR_TIMEOUT" | "PROVIDER_ERROR" | "PROVIDER_RATE_LIMITED" | "PROVIDER_TIMEOUT" | "PROVIDER_BAD_OUTPUT" | "PROVIDER_QUOTA_EXCEEDED" | "CIRCUIT_OPEN" | "QUEUE_UNAVAILABLE" | "OVERLOADED" | "STORE_UNAVAILABLE" | "SHUTTING_DOWN" | "CONFIG_INVALID" | "INTERNAL" | "INDEX_UNAVAILABLE" | "INDEX_UNSUPPORTED" | "WEBHOOK_TARGET_FORBIDDEN" | "PROVIDER_OUTPUT_TRUNCATED";
                details?: {
                    [key: string]: unknown;
                };
                message: string;
            } & {
                [key: string]: unknown;
            };
        };
        Job: {
            attempts: number;
            /** @description ISO 8601 timestamp */
            createdAt: string;
            error?: {
                code: string;
                message: string;
            } & {
                [key: string]: unknown;
            };
            id: string;
            name: string;
            progress: {
                done: number;
                stage: string;
                total: number;
            } & {
                [key: string]: unknown;
            };
            result?: unknown;
            state: ("waiting" | "active" | "completed" | "failed" | "delayed" | "queued" | "cancelled") | string;
            /** @description ISO 8601 timestamp */
            updatedAt: string;
        } & {
            [key: string]: unknown;
        };
        JobInput: {
            attempts: number;
            /** @description ISO 8601 timestamp */
            createdAt: string;
            error?: {
                code: string;
                message: string;
            } & {
                [key: string]: unknown;
            };
            id: string;
            name: string;
            progress: {
                done: number;
                stage: string;
                total: number;
            } & {
                [key: string]: unknown;
            };
            result?: unknown;
            state: ("waiting" | "active" | "completed" | "failed" | "delayed" | "queued" | "cancelled") | string;
            /** @description ISO 8601 timestamp */
            updatedAt: string;
        } & {
            [key: string]: unknown;
        };
        SearchResponse: {
            buildId: string | null;
            empty: boolean;
            query: string;
            reason?: string;
            results: components["schemas"]["SearchResult"][];
            timings: {
                [key: string]: number;
            };
        } & {
            [key: string]: unknown;
        };
        SearchResponseInput: {
            buildId: string | null;
            empty: boolean;
            query: string;
            reason?: string;
            results: components["schemas"]["SearchResultInput"][];
            timings: {
                [key: string]: number;
            };
        } & {
            [key: string]: unknown;
        };
        SearchResult: {
            chunkId: string;
            documentId: string;
            end: number;
            /** @description Section headings above the text (non-paginated sources) */
            headingPath?: string[] | null;
            /** @description Page where the text starts (paginated sources) */
            page: number | null;
            /** @description Page where it ends */
            pageEnd?: number | null;
            ranks?: {
                [key: string]: unknown;
            };
            score: number;
            scores?: {
                [key: string]: unknown;
            };
            /** @description Character offset in the version's normalized text */
            start: number;
            text: string;
            title: string;
            versionId: string;
        } & {
            [key: string]: unknown;
        };
        SearchResultInput: {
            chunkId: string;
            documentId: string;
            end: number;
            /** @description Section headings above the text (non-paginated sources) */
            headingPath?: string[] | null;
            /** @description Page where the text starts (paginated sources) */
            page: number | null;
            /** @description Page where it ends */
            pageEnd?: number | null;
            ranks?: {
                [key: string]: unknown;
            };
            score: number;
            scores?: {
                [key: string]: unknown;
            };
            /** @description Character offset in the version's normalized text */
            start: number;
            text: string;
            title: string;
            versionId: string;
        } & {
            [key: string]: unknown;
        };
        Tenant: {
            /** @description ISO 8601 timestamp */
            createdAt: string;
            id: string;
            limits: {
                [key: string]: number;
            };
            name: string;
        } & {
            [key: string]: unknown;
        };
        TenantInput: {
            /** @description ISO 8601 timestamp */
            createdAt: string;
            id: string;
            limits: {
                [key: string]: number;
            };
            name: string;
        } & {
            [key: string]: unknown;
        };
        UploadResult: {
            deduplicated: boolean;
            documentId: string;
            jobId: string | null;
            status: string;
            versionId: string;
        } & {
            [key: string]: unknown;
        };
        UploadResultInput: {
            deduplicated: boolean;
            documentId: string;
            jobId: string | null;
            status: string;
            versionId: string;
        } & {
            [key: string]: unknown;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export type operations = Record<string, never>;
