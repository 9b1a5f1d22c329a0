"""The OpenAPI 3.1 description of the read-only API, served at `/api/v1/openapi.json`."""

from __future__ import annotations

from typing import Any

_FORMAT = {"name": "format", "in": "query", "required": False,
           "description": "json (default) or csv",
           "schema": {"type": "string", "enum": ["json", "csv"], "default": "json"}}
_ERROR = {"description": "Error", "content": {"application/json": {"schema": {
    "$ref": "#/components/schemas/Error"}}}}
_OK_JSON_CSV = {"description": "OK", "content": {"application/json": {"schema": {
    "type": "object"}}, "text/csv": {"schema": {"type": "string"}}}}

SPEC: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {
        "title": "Safeguarding partnership performance dashboard API",
        "version": "1.0.0",
        "description": "Read-only access to the indicators, their values for every English "
                       "local authority, region and England, and the scorecard with comparators, "
                       "rank, quartile band, RAG and narrative. DfE data: contains public sector "
                       "information licensed under the Open Government Licence v3.0.",
    },
    "paths": {
        "/api/v1/areas": {"get": {
            "summary": "Every area (LAs, regions, England)",
            "parameters": [_FORMAT],
            "responses": {"200": _OK_JSON_CSV, "400": _ERROR}}},
        "/api/v1/indicators": {"get": {
            "summary": "The indicator catalogue",
            "parameters": [
                {"name": "domain", "in": "query", "required": False, "schema": {
                    "type": "string", "enum": ["children", "adults", "partnership"]}},
                _FORMAT],
            "responses": {"200": _OK_JSON_CSV, "400": _ERROR}}},
        "/api/v1/indicators/{code}/data": {"get": {
            "summary": "An indicator's values for some areas",
            "parameters": [
                {"name": "code", "in": "path", "required": True, "schema": {"type": "string"},
                 "description": "Indicator code, e.g. ReReferral (LAIT's measure code)"},
                {"name": "areas", "in": "query", "required": True, "schema": {
                    "type": "string", "pattern": "^E\\d{8}(,E\\d{8})*$"},
                 "description": "ONS codes separated by commas"},
                {"name": "from", "in": "query", "required": False, "schema": {
                    "type": "integer", "minimum": 1900, "maximum": 2099}},
                {"name": "to", "in": "query", "required": False, "schema": {
                    "type": "integer", "minimum": 1900, "maximum": 2099}},
                _FORMAT],
            "responses": {"200": _OK_JSON_CSV, "400": _ERROR, "404": _ERROR}}},
        "/api/v1/scorecard": {"get": {
            "summary": "The scorecard for a home area",
            "parameters": [
                {"name": "area", "in": "query", "required": True, "schema": {
                    "type": "string", "pattern": "^E\\d{8}$"}},
                {"name": "domain", "in": "query", "required": False, "schema": {
                    "type": "string", "enum": ["children", "adults", "partnership"],
                    "default": "children"}},
                {"name": "theme", "in": "query", "required": False, "schema": {
                    "type": "string"}},
                {"name": "vintage", "in": "query", "required": False, "schema": {
                    "type": "string"}, "description": "Comparator group vintage, e.g. 2021"},
                {"name": "period", "in": "query", "required": False, "schema": {
                    "type": "string", "pattern": "^(19|20)[0-9]{2}([-/][0-9]{2})?( Q[1-4])?$"},
                 "description": "Evaluate at this period (a year such as 2020, or a label such "
                                "as 2019-20) instead of the latest"},
                _FORMAT],
            "responses": {"200": _OK_JSON_CSV, "400": _ERROR, "404": _ERROR}}},
        "/api/v1/openapi.json": {"get": {"summary": "This document",
                                         "responses": {"200": {"description": "OK"}}}},
    },
    "components": {"schemas": {"Error": {
        "type": "object", "required": ["error", "status"],
        "properties": {"error": {"type": "string"}, "status": {"type": "integer"},
                       "parameter": {"type": "string"}}}}},
}
