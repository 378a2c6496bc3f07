-- platform: the five built-in roles and their entity x action grants with data scopes.
INSERT INTO roles (code, name, builtin) VALUES
    ('admin', 'Administrator', TRUE),
    ('sales_manager', 'Sales manager', TRUE),
    ('salesperson', 'Salesperson', TRUE),
    ('service_agent', 'Service agent', TRUE),
    ('field_engineer', 'Field engineer', TRUE);

-- Administrator: everything, everywhere.
INSERT INTO role_permissions (role_id, entity, action, scope)
SELECT r.id, e.entity, a.action, 'all'
FROM roles r
CROSS JOIN (SELECT 'customer' AS entity UNION ALL SELECT 'user' UNION ALL SELECT 'department' UNION ALL SELECT 'role' UNION ALL SELECT 'audit_log') e
CROSS JOIN (SELECT 'view' AS action UNION ALL SELECT 'create' UNION ALL SELECT 'edit' UNION ALL SELECT 'delete' UNION ALL SELECT 'export' UNION ALL SELECT 'assign') a
WHERE r.code = 'admin';

-- Sales manager: every customer operation over their department and the teams below it.
INSERT INTO role_permissions (role_id, entity, action, scope)
SELECT r.id, 'customer', a.action, 'department_tree'
FROM roles r
CROSS JOIN (SELECT 'view' AS action UNION ALL SELECT 'create' UNION ALL SELECT 'edit' UNION ALL SELECT 'delete' UNION ALL SELECT 'export' UNION ALL SELECT 'assign') a
WHERE r.code = 'sales_manager';

-- Salesperson: their own customers.
INSERT INTO role_permissions (role_id, entity, action, scope)
SELECT r.id, 'customer', a.action, 'own'
FROM roles r
CROSS JOIN (SELECT 'view' AS action UNION ALL SELECT 'create' UNION ALL SELECT 'edit' UNION ALL SELECT 'delete') a
WHERE r.code = 'salesperson';

-- Service agent: looks up any customer when a request comes in.
INSERT INTO role_permissions (role_id, entity, action, scope)
SELECT r.id, 'customer', 'view', 'all' FROM roles r WHERE r.code = 'service_agent';

-- Field engineer: customers of their own service department.
INSERT INTO role_permissions (role_id, entity, action, scope)
SELECT r.id, 'customer', 'view', 'department' FROM roles r WHERE r.code = 'field_engineer';
