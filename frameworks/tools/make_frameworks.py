#!/usr/bin/env python3
"""Generate the CASE 1.0 JSON packages of the seed frameworks.

Writes, next to this tools/ directory (i.e. into frameworks/):

  aspect-eip-2005.json             Aspect National Standards for EIPs (England, 2005)   seed 001
  prospect-ecs-scotland-2019.json  Prospect ECS Scottish Standards (2019)               seed 003
  wales-eip.json                   National Standards for EIPs in Wales (key areas)     seed 000
  vsc-cymru-standard.json          VSC Cymru "Standard" for ECS managers                seed 004

The statement text below is transcribed from the seeds (see /work/shared/seeds and
frameworks/README.md): wording, capitalisation, spelling (including the seeds' own
slips such as "sustematic" and "researchedbased") and quote characters are as in
the seed; only list bullets and a trailing "." or ";" at the end of a bullet item
have been dropped.  Do not "fix" the text here: tests/frameworks/check_frameworks.py
checks every statement against the seed text.

Usage: python3 frameworks/tools/make_frameworks.py [OUTPUT_DIR]
Stdlib only; output is deterministic (fixed UUIDs, fixed timestamps, fixed key order).
"""

import json
import os
import sys
import uuid

NAMESPACE = uuid.UUID("6f1c2d4e-8a3b-4c5d-9e7f-0a1b2c3d4e5f")
LAST_CHANGE = "2026-11-23T00:00:00+00:00"

# --------------------------------------------------------------------------
# Transcribed data
# --------------------------------------------------------------------------

ASP05_DIMENSIONS = [
    {
        'title': 'Developing self and others',
        'notes': [
            'Educational improvement professionals interact with others in diverse contexts and for multiple purposes. To engage successfully, the educational improvement professional recognises the feelings of others as well as their own, and can manage resultant emotions. In facilitating self-development, educational improvement professionals use a range of approaches – including facilitation, mentoring and coaching – to help to identify needs, priorities and actions. They are sensitive to context when weighing their responsibility to negotiate approaches which impinge professionally on others, and set this against the need to act decisively.',
            'Educational improvement professionals have a responsibility to develop themselves professionally in order to improve service provision. Organisations employing educational improvement professionals have a responsibility to ensure access to appropriate professional development opportunities on a regular basis.',
        ],
        'K': [
            'The nature of emotional intelligence and its importance in learning and developing professional relationships',
            'Negotiation and ways of positively influencing others',
            'Coaching and mentoring in different professional contexts',
            'The nature of adult learning',
            'The implications of partnerships formed across professional boundaries',
        ],
        'A': [
            'Manages emotions so they enhance rather than hinder performance',
            'Senses what others are feeling and takes their perspective(s) into account',
            'Reads social situations accurately, and interacts smoothly in building bonds and managing conflict',
            'Interacts positively with a broad range of people from all cultural backgrounds and in a range of services',
            'Is resilient in the face of challenge',
            'Balances the need for challenge and support',
            'Is resourceful in suggesting positive courses of action',
            'Coaches and mentors others effectively',
            'Makes appropriate choices to move and guide colleagues towards agreed goals, taking the initiative and exercising leadership where appropriate',
            'Manages own time, priorities and work-life balance in an effective manner',
        ],
        'QC': [
            'Enhancing the life chances of all children and young people',
            'Improving educational opportunities, outcomes and well-being for all',
            'Continuing lifelong learning, particularly professionally',
            'Working collaboratively to raise educational standards',
            'Facilitating improvements in the understanding, knowledge and skills of those with whom they work',
        ],
        'QA': [
            'Assess own abilities and approaches to enhance and develop own repertoire',
            "Communicate in an open and honest way, conveying 'hard messages' when necessary",
            'Inspire, challenge and motivate others',
            'Build professional relationships with a range of specialists',
            'Respond well to challenge and show a determination to overcome obstacles',
            'Operate effectively as a member of a team and in leadership roles',
        ],
    },
    {
        'title': 'Professional leadership to build capacity',
        'notes': [
            'Educational improvement professionals work with a range of agencies, partners and school leaders to influence the creation and implementation of a long-term vision for education which is shared by all stakeholders. This vision is underpinned by a strong belief in the ethical purpose of advancing effective learning.',
            'Educational improvement professionals adapt to changing circumstances and new ideas. They encourage others to do likewise, and support organisations and individuals to build capacity to sustain improvement as circumstances change and new demands are placed upon them. Educational improvement professionals help to identify trends and assess progress, they moderate and validate self-evaluation, and help to establish priorities as a basis for effective strategic planning.',
        ],
        'K': [
            'What constitutes high quality educational provision at all levels and in different contexts',
            'Local, national and global trends in education',
            'Key national initiatives and their relationships to each other',
            'Theory and practice of approaches to development which build capacity',
            'Ways to build, communicate and implement a shared vision',
            'Strategic planning processes',
            'Effective change processes and their impact on creativity and innovation',
            'New technologies, their use and impact on learning, and on the quality of services',
        ],
        'A': [
            'Conveys a coherent long-term vision for high-quality education for all learners',
            'Supports schools, local authorities and other service providers in implementing change and adapting to new ideas',
            'Works with schools and their communities to provide support and challenge',
            'Interprets both quantitative and qualitative data and other indicators, and frames hypotheses to promote activity by schools and other service providers to bring about improvements',
            'Motivates and works with others to create professional learning communities within and beyond schools, characterised by clear ethical purpose, and shared values and beliefs',
            'Works with schools and other organisations to explore creative approaches to education and to develop appropriate use of new technologies',
        ],
        'QC': [
            'Improving service provision to the public',
            'Equity and impartiality in all aspects of educational provision',
            'Providing leadership in implementing strategies to improve the quality of education',
            'Working collaboratively with educational services and other partners to ensure high standards for all',
            'Setting and achieving ambitious and challenging targets for improvement',
            'A problem-solving approach',
            'Using appropriate new technologies to advance learning and improve the overall quality of services',
        ],
        'QA': [
            'Think strategically, building and communicating a coherent vision in a range of compelling ways',
            'Work with organisations using appropriate leadership approaches',
            'Inspire, challenge, motivate and empower others to carry the vision forward',
            'Command credibility and influence others in leading educational improvement',
            'Listen actively, ask searching questions, clarify points, and check understanding',
        ],
    },
    {
        'title': 'Accountability – evaluating practice',
        'notes': [
            'Educational improvement professionals hold individuals and organisations to account for the quality of experience provided for children and young people in their care, and the contribution these organisations make to the achievement and well-being of all children and young people. Educational improvement professionals monitor and evaluate educational provision in different contexts – from individual learners to organisations, whole communities and regions.',
            'Professionals working in educational improvement need to possess a thorough understanding of the learning process and how the skills of observation, monitoring, evaluation and feedback can improve the learning process as well as add breadth to it. Educational improvement professionals view evaluation as both an individual and a corporate activity. They support self-evaluation by individuals, schools and other organisations, in ways which help to build system-wide capacity.',
        ],
        'K': [
            'The characteristics of high-quality educational provision at all levels and in different contexts',
            'Principles underpinning evaluation processes',
            'The theory and practice of approaches to evaluation in an educational context, including school self-evaluation',
            'Analysis and interpretation of quantitative and qualitative data',
            'The range of data management systems used by educational organisations',
            'How outcomes and process targets are set to advance learning and the well-being of all children and young people',
        ],
        'A': [
            'Carries out direct observation based on rigorous criteria',
            'Provides constructive feedback to individuals on the basis of evidence and seeks to explain interpretations and identify appropriate changes to provision',
            'Relates judgements to contextual data and data relating to the performance of particular groups of learners',
            'Uses data to judge the performance and challenge underachievement of groups of learners by gender, ethnicity, special educational needs and prior attainment, and which is benchmarked against local and national norms',
            'Moderates self-evaluation processes and outcomes to help to bring about improvements',
            'Helps to build the capacity of organisations to evaluate their own performance effectively',
        ],
        'QC': [
            'Raising educational standards in a wide range of contexts',
            'Evaluating educational provision objectively, on the basis of evidence',
            "'Intelligent accountability' throughout the education system",
        ],
        'QA': [
            'Distinguish between the use of evaluation for the purposes of accountability and development',
            'Gather and analyse relevant evidence from a range of sources, both within the organisation and from the wider context',
            'Analyse performance data relating to individual learners, to groups of learners, and to educational organisations and communities',
            'Judge levels of significance of data',
            'Formulate clear, secure judgements, and make recommendations based on evidence',
            'Identify and explain strengths and weaknesses in a range of educational provision',
            'Provide constructive feedback that forms the basis for future improvement',
            'Build the capacity of others to carry out self-evaluation',
        ],
    },
    {
        'title': 'Promoting learning',
        'notes': [
            'Educational improvement professionals are familiar with what is understood about the process of learning. They see learning holistically and recognise that a wide range of stakeholders contribute to the development of children and young people. Educational improvement professionals use their understanding of learning to inform policy and practice, and to identify and disseminate effective practice. Educational improvement professionals model good practice in teaching and learning when they lead professional development activities.',
        ],
        'K': [
            "How pupils learn and how teaching impacts upon pupils' achievement",
            'The role of emotional intelligence in facilitating effective learning',
            'Statutory requirements, including provisions made in the national curriculum',
            "Strategies for meeting the learning needs of individual pupils ('personalised learning')",
            "Strategies for 'assessment for learning'",
            'Analysis and use of data in supporting and shaping learning',
            'The use of targets and benchmarking to raise aspirations and promote achievement',
            'The monitoring and evaluation of achievement',
            "How to develop the culture of a 'learning organisation'",
            'Effective learning environments',
            'The use of new technologies as learning tools',
        ],
        'A': [
            'Promotes individual and organisational learning',
            "Promotes the use of strategies for 'assessment for learning' to raise achievement",
            'Demonstrates how national and local initiatives can improve teaching and learning and raise standards',
            'Suggests appropriate changes in teaching approaches to engage learners more fully and support their achievement',
        ],
        'QC': [
            'Equality of opportunity for all learners',
            'Finding ways to motivate and engage all learners',
            'Lifelong learning as an activity for all',
            'Seeing the learning process in a holistic way, involving parents and/or carers and the wider community',
            'Recognising, rewarding and celebrating all forms of achievement',
            'Seeking and disseminating examples of effective practice',
        ],
        'QA': [
            'Recognise and analyse aspects of good practice which will transfer to other learning contexts',
            'Initiate and support action research into effective learning',
            'Synthesise knowledge from a range of sources to improve learning',
            'Use ICT in learning and evaluate its impact',
        ],
    },
    {
        'title': 'Working with and developing organisations',
        'notes': [
            'Educational improvement professionals work to build capacity within schools and other organisations, and can support others in managing and sustaining improvement. They understand the connection between personal and organisational development, and the complex web of forces that influence education. Capacity is built by creating learning organisations – a process educational improvement professionals facilitate by working with leaders at all levels and in challenging and supportive partnerships.',
            'Educational improvement professionals understand organisational development. They work alongside schools, other organisations, agencies and individuals to promote local partnerships so that resources are deployed effectively to improve educational outcomes for all children and young people.',
        ],
        'K': [
            'Principles and systems that promote and sustain a learning organisation',
            'Different models and structures of learning organisations and their values/belief systems, and how they build capacity for sustainable development',
            'The impact of legislation and current Government initiatives',
            'Strategic planning and systems thinking for capacity building',
            'External and internal factors which impede or enhance organisational effectiveness',
            'Methods of working collaboratively with multi-agency stakeholders in order to deliver outcomes for all children and young people',
            'The use of project management as a tool for managing coherent and focused development',
            'Effective models of self-evaluation at all levels',
            'The construction, validation and use of indicators to guide and evaluate organisational development',
            'Leadership styles and approaches and their impact on development strategies',
            "Effective financial management and the principles of 'best value'",
            'Performance management and the role of continuous professional development in capacity building',
        ],
        'A': [
            'Helps individual organisations and groups of organisations to develop systems thinking and to improve strategic planning and partnership working',
            'Supports and moderates organisational self-evaluation',
            'Works alongside leaders to develop strategic planning capacity, appropriate leadership styles and approaches and management systems',
            'Promotes and supports effective multi-agency interventions',
            'Leads and manages projects that support individual, team and organisational improvement',
            'Identifies, analyses and shares good practice within organisations and between partner organisations',
        ],
        'QC': [
            'Development of learning organisations with the objective of building capacity for sustained improvement',
            'Identifying and realising potential in order to raise achievement',
            'Approaches to leadership which build capacity',
            'Collaborative working and development',
            'Holding people accountable for the development of themselves and others',
        ],
        'QA': [
            'Think creatively and help others to do the same',
            'Think systemically and make useful connections',
            'Apply knowledge of the broader context in which organisations function',
            'Manage complex projects to meet timescales and deadlines and secure improvement',
            'Analyse, interpret and apply qualitative and quantitative data',
            'Work effectively and equitably with colleagues from a wide range of organisations',
            'Make informed professional judgements which respect the viewpoints and perceptions of others',
            'Model effective leadership behaviours',
            'Provide evaluative and developmental reports both verbally and in writing',
        ],
    },
    {
        'title': 'Developing and sustaining partnerships',
        'notes': [
            'Networks and partnerships are an important means by which an individual organisation can harness additional ideas, resources and approaches; such partnerships benefit from external brokering and support. Educational improvement professionals have an important role to play in identifying when such networks and partnerships will be beneficial, and in helping to create the conditions in which a partnership can better serve the community as a whole.',
            'Local authority responses to the Children Act demonstrate the need to embrace partnership working across a diverse group of professionals to improve the quality of services to children, young people, families and communities. As specialists in providing external advice and support, educational improvement professionals will be key members of such partnerships, and often take on a leadership role within this context.',
        ],
        'K': [
            'The conditions necessary to build and sustain effective partnerships',
            'Models of partnership working',
            'Potential barriers to effective partnership working and how to address these',
            'The roles and responsibilities of the range of agencies working within the community',
            'Strategies for communicating across a wide, and sometimes disparate, range of agencies',
            'The wider context in which stakeholders and partners are working',
        ],
        'A': [
            'Shares evidence appropriately with key partners in order to gain a fully informed basis for proposing action and making decisions',
            'Articulates a clear vision for organisational improvement in specific contexts',
            'Works with partnerships and networks to advance effective learning and development of all children and young people',
            'Works with schools, local authority, communities, partners and agency stakeholders in order to develop and implement integrated strategic plans',
            'Works with voluntary and community organisations in the development and evaluation of non-formal learning contexts',
            'Ensures that legal and regulatory responsibilities are being met',
        ],
        'QC': [
            'Working in constructive ways with a wide range of professionals',
            'An enquiry or research-based approach to promoting change',
            'Establishing and supporting existing and new networks across schools and other organisations, and supporting the agencies that work with them',
        ],
        'QA': [
            'Be creative in solving problems',
            'Think systemically about change',
            'Be sensitive to the impact of change on different stakeholders and different parts of the system in which they are working',
            'Work effectively with a range of people in other agencies to support educational improvement',
            'Read social situations and networks accurately, interact smoothly, manage conflict and build bonds',
            'Promote innovation and researched-based approaches to evaluating outcomes',
        ],
    },
]

PSS19_PRINCIPLES = [
    'Encourage personalised success and enrichment for all learners promoting positive outcomes for children, young people and families',
    'Advocate all elements of well-being, social justice and equality of opportunity',
    'Exert professional leadership through vision, strategy, and initiative',
    'Recognise and build upon interdependence between individuals and professional disciplines and across agencies as well as within and between organisations',
    'Demonstrate a high level of integrity based on a moral purpose and display sound personal behaviour, approaches and relationships',
    'Value professional and systematic holistic approaches to learning and promote self and organisational development',
]

PSS19_DIMENSIONS = [
    {
        'title': 'Developing self and others',
        'heading': 'DEVELOPING SELF AND OTHERS',
        'notes': [
            "Education and children's services professionals interact with others in diverse contexts and for multiple purposes. They have a clear and shared understanding of what is involved in providing high-quality services to children and young people and are motivated and meaningfully involved in improving the quality of provision.",
            'To be successful they must appreciate the need to build trusting relationships and they should recognise the importance of taking full account of the feelings and needs of others, as well as their own and to manage this appropriately. They should be sensitive to context when weighing their responsibility to negotiate approaches that impinge professionally on others and set this against the need to act decisively.',
            'All staff working in services for children and young people have a responsibility to undertake continuing professional development leading to self-improvement.',
            "Organisations employing education and children's services professionals have a responsibility to ensure access to appropriate continuing professional development on a regular basis. Selfemployed consultants have a responsibility to ensure that they also access regular CPD relevant to their role.",
        ],
        'K_lead': "Education and children's services professionals know and understand how to:",
        'K': [
            'Demonstrate a clear commitment to collegiality',
            'Maintain partnerships across professional boundaries',
            'Influence, coach and mentor others effectively',
            'Influence and work within the structure of national and local agreements and developments',
            'Support, maintain and promote existing effective practice',
            'Build supportive learning networks by engaging effectively with educational establishments and their communities',
            'Develop strategies to counter the impact of discrimination and deprivation in learning environments and interact positively with people from diverse backgrounds',
            'Manage emotions so they enhance rather than hinder performance',
            'Balance the need for challenge and support',
            'Evaluate and respond positively to wide-ranging social situations and interact appropriately in building relationships and managing conflicts',
            'Maintain and demonstrate clear knowledge of statutory obligations',
        ],
        'S_lead': "Education and children's services professionals should:",
        'S': [
            "Model learning for life by being 'leading learners' themselves",
            'Apply knowledge and critical understanding of contemporary developments in key policy areas relating to services for children and young people',
            'Enhance the life chances of all children and young people',
            'Work collaboratively to raise educational standards',
            'Demonstrate self-awareness and ability to inspire and motivate others',
            'Build and sustain personal credibility',
            'Work to create a positive atmosphere within the educational community',
            'Know how and when to make decisions and use evidence and information to support and inform their judgements',
            'Listen well and give clear expression to ideas and feelings in person and providing high quality feedback',
        ],
        'A': [
            'Equality, social justice and inclusion',
            'Operate effectively as a member of a team and in leadership roles',
            'Hold, articulate and argue for professionally sound and consistent values',
            'Set expectations of high levels of respect for self and others',
            'Respond well to challenge',
            'Provide well-planned, continuing professional development, matched to individual and team needs drawing on local and national expertise',
        ],
    },
    {
        'title': 'Professional leadership to build capacity',
        'heading': 'PROFESSIONAL LEADERSHIP TO BUILD CAPACITY',
        'notes': [
            "Education and children's services professionals work with a range of agencies, partners and establishments to influence the creation and implementation of a long-term vision for the education and well-being of children and young people that is shared by all stakeholders.",
            'This vision is underpinned by a strong belief in the ethical purpose of advancing effective learning and teaching.',
            "Education and children's services professionals have the capacity to adapt to changing circumstances and new ideas. They encourage others to do likewise, and support organisations and individuals to build capacity to sustain improvement as circumstances change and new challenges emerge.",
            "Education and children's services professionals help to identify trends and assess progress, they moderate and validate self-evaluation and self-improvement and help to establish priorities as a basis for effective strategic planning.",
        ],
        'K_lead': "Education and children's services professionals know and understand:",
        'K': [
            'The nature of high quality educational provision at all levels and in different contexts',
            'Ways of maintaining a working awareness of local, national and global trends and initiatives in education and their relationships to each other',
            'The theory and practice of approaches to development that build capacity',
            'Ways to build, communicate and implement shared vision',
            'Strategic planning processes',
            'Effective change processes and their impact on creativity and innovation',
            'New technologies, their use and impact on learning and teaching, and on the quality of service provision',
            'The need to develop systems for shared leadership',
            'The political and social context and how this may impact on service provision',
            'Specialist information, research and policy in relation to their discipline',
        ],
        'S_lead': "Education and children's services professionals should:",
        'S': [
            'Seek to improve service provision for all partners in education and all services for children',
            'Promote equality and impartiality in all aspects of service provision',
            'Provide leadership in implementing strategies to improve the quality of practice in delivering services to children and young people',
            'Work collaboratively with individual partners, agencies and other stakeholders and ensuring high standards for all',
            'Set and achieve ambitious and challenging targets for improvement',
            'Adopt problem-solving approaches',
            'Use appropriate new technologies to advance learning and improve the overall quality of services',
            'Accurately analyse, interpret and communicate complex information across professional boundaries',
        ],
        'A': [
            'Promote a coherent long-term vision for high-quality education and development of life skills for all learners',
            'Support establishments, local authorities and other service providers in implementing change and adapting to new ideas',
            'Work with establishments and their communities to provide support and challenge in a coherent and consistent way',
            'Use and interpret quantitative and qualitative data to improve well-being, learning and to raise achievement',
            'Motivate and work with others to create professional learning communities characterised by clear ethical purpose, shared values and beliefs',
            'Work with establishments and other organisations to explore creative approaches to learning and development',
            'Prepare oral and written briefings for those responsible for leadership and governance',
        ],
    },
    {
        'title': 'Accountability: evaluating practice',
        'heading': 'ACCOUNTABILITY: EVALUATION PRACTICE',
        'notes': [
            "Education and children's services professionals view evaluation as both an individual and a corporate activity.",
            'They work with individuals and organisations to evaluate the quality of experience provided to children and young people in their care and to ensure there is capacity to allow for continuous improvement.',
            "Education and children's service professionals need to possess a thorough understanding of how educational provision can be enhanced through the skills of accurate analysis, interpretation and communication of complex information across professional backgrounds.",
            "Education and children's services professionals must ensure that they use self-evaluation to analyse their own contribution to the work of the educational community they serve.",
        ],
        'K_lead': "Education and children's services professionals know and understand how to:",
        'K': [
            'Use approaches to the theory and practice of evaluation in an educational context',
            'Utilise a relevant range of data management systems',
            'Analyse and interpret quantitative and qualitative data',
            'Make best strategic and operational use of available resources to create, maintain and monitor an appropriate environment to ensure well-being and learning for all children',
            'Support and maintain existing effective practice and encourage and promote constant improvement in the development of children and young people',
            'Ensure that a coherent approach to improvement is taken to all aspects of service provision and learner achievement',
            'Draw on a wide range of advice and evidence to ensure that self-evaluation is rigorous, sustematic and transparent',
        ],
        'S_lead': "Education and children's services professionals should:",
        'S': [
            'Ensure that agreed vision, values and aims are used as the basis for reviewing their work and that of others',
            'Carry out direct observation of practice based on rigorous quality indicators',
            'Ensure a consistent focus on positive outcomes for children and young people',
            'Ensure that well-being, learning and achievement is at the centre of strategic planning and resource management',
            'Provide constructive feedback to individuals on the basis of sound evidence and identifying appropriate changes to provision',
            'Review and revise self-evaluation processes, as appropriate, to ensure improvement',
            'Use local and national data to judge performance and challenge barriers to participation and any underachievement of groups of learners; e.g. by gender, ethnicity, special educational needs and prior attainment',
            'Help to build capacity of organisations to carry out rigorous and effective selfevaluation',
            'Have effective systems to gather views of stakeholders about the quality of provision',
        ],
        'A': [
            'Raise educational standards and promote well-being in a wide range of contexts',
            'Evaluate service provision objectively, on the basis of sound evidence',
            'Self-evaluation of their own performance and taking appropriate consequent action',
            'Gather and analyse relevant evidence from a comprehensive range of internal and external sources',
            'Analyse performance data relating to individual children, to groups of children and to organisations and communities',
            'Formulate clear, secure judgements, and making recommendations based on evidence',
            'Provide constructive feedback that forms the basis for future improvements',
            'Build the capacity of others to carry out self-evaluation',
        ],
    },
    {
        'title': 'Promoting learning, teaching and well-being',
        'heading': 'PROMOTING LEARNING, TEACHING AND WELL-BEING',
        'notes': [
            "Education and children's services professionals are familiar with what is understood about the process of learning and child development.",
            'They see learning holistically and recognise that a wide range of partners contribute to the development of children and young people.',
            'They use their understanding of learning and development to inform policy and practice, and to identify and disseminate effective practice.',
            "Education and children's services professionals model effective practice when they lead professional development activities.",
        ],
        'K_lead': "Education and children's services professionals demonstrate that they know and understand how to:",
        'K': [
            'Develop provisions that enhance the capacities of children and young people to be successful learners, confident individuals, responsible citizens and effective contributors',
            "Promote strategies to encourage effective practice which impacts upon young people's attainment and achievement and addresses barriers to progress",
            'Recognise the importance of research and development in facilitating effective learning and well-being',
            'Recognise the influence of emotional intelligence in facilitating effective learning and well-being',
            'Utilise appropriate assessment and evaluation techniques as a positive aid to promoting improved learning and teaching child support processes',
            'Monitor and evaluate educational and well-being processes and outcomes',
            "Develop the culture of a 'learning organisation' and promote CPD opportunities for staff",
            'Develop effective partnerships with learners, parents/carers and families',
            'Develop effective approaches to ensure inclusion and participation',
        ],
        'S_lead': "Education and children's services professionals should:",
        'S': [
            'Engage critically with literature, research and policy',
            'Promote individual and organisational learning',
            'Promote the use of appropriate education and well-being practices to raise attainment and achievement',
            'Demonstrate how national and local initiatives can improve practices and raise standards',
            'Suggest appropriate person-centred approaches to engage children more fully in planning their learning and well-being',
        ],
        'A': [
            'Promote aspirational outcomes for all children and young people',
            'Find ways to motivate and engage all children and young people',
            'Recognise lifelong learning as an activity for all',
            'See the learning process and well-being in a holistic way, involving children and young people, parents, carers, other appropriate professionals and the wider community',
            'Recognise, reward and celebrate all forms of achievement',
            'Seek and disseminate examples of effective practice',
            'Recognise and analyse aspects of effective practice which will transfer to other contexts',
            'Initiate and support action research into effective learning, teaching and well-being',
            'Synthesise knowledge from a range of sources to improve learning, teaching and well-being',
            'Make appropriate use of technology and evaluate its impact on achieving relevant outcomes',
        ],
    },
    {
        'title': 'Working with and developing organisations and services',
        'heading': 'WORKING WITH AND DEVELOPING ORGANISATIONS AND SERVICES',
        'notes': [
            "Education and children's services professionals work to build capacity within educational organisations and services and support others in managing and sustaining improvement.",
            "They understand the connection between personal and organisational/service development, and the complex web of forces that influence education. Capacity is built by creating learning organisations – education and children's services professionals facilitate this process by working with leaders at all levels in challenging and supportive partnerships.",
            "Education and children's services professionals understand organisational development. They work alongside educational establishments, other organisations, agencies and individuals to promote local partnerships so that resources are deployed effectively to improve all outcomes for all children and young people.",
        ],
        'K_lead': "Education and children's services professionals demonstrate that they know and understand:",
        'K': [
            'The principles and systems that promote workplace well-being and sustain a learning organisation',
            'Different models and structures of learning organisations and their values/ belief systems and how they build capacity for sustainable development',
            'The impact of legislation and current government initiatives',
            'Strategic planning and systems for capacity building and securing continuous improvement',
            'External and internal factors which impede or enhance organisational/service effectiveness',
            'Effective models of self-evaluation at all levels',
            'The importance of working collaboratively with multi-agency stakeholders in order to deliver outcomes for all children and young people',
            'How to put in place coherent and focused development through effective project management techniques',
            'The construction, validation and use of indicators to guide and evaluate organisational/services development',
            'Leadership styles and approaches and their impact on development strategies',
            "Effective financial management and principles of 'best value'",
            'Performance management and the role of continuous professional development in capacity building',
        ],
        'S_lead': "Education and children's services professionals should:",
        'S': [
            'Lead and help individual organisations/ services and groups of organisations/ services to develop and improve strategic planning and partnership working',
            'Support and moderate organisational self-evaluation',
            'Evaluate the capacity for improvement within organisations/services',
            'Develop appropriate leadership styles and management systems',
            'Promote and support effective multiagency working',
            'Identify, analyse and share effective practice within organisations/services and between partner organisations/services',
        ],
        'A': [
            'Develop learning organisations/services with the objective of building capacity for sustained improvement',
            'Identify and realise potential in order to raise attainment and achievement and to promote well-being',
            'Develop approaches to leadership which build capacity and ensure sustained improvement',
            'Promote collaborative working and development',
            'Hold people accountable for the development of themselves and others',
            'Take a creative and systematic approach to strategic planning and making appropriate connections',
            'Apply knowledge of the broader context in which organisations/services function',
            'Manage complex projects to meet timescales and deadlines and secure improvement',
            'Analyse, interpret and apply qualitative and quantitative data',
            'Work effectively and equitably with colleagues from a wide range of organisations/services',
            'Make informed professional judgements that respect the viewpoints and perceptions of others',
            'Model effective leadership behaviours',
            'Provide evaluative and developmental reports both orally and in writing',
        ],
    },
    {
        'title': 'Developing and sustaining partnerships',
        'heading': 'DEVELOPING AND SUSTAINING PARTNERSHIPS',
        'notes': [
            'Networks and partnerships are an important means by which an individual organisation can harness additional ideas, resources and approaches. Such partnerships may benefit from external brokering and support.',
            "Education and children's services professionals have an important role to play in identifying when such networks and partnerships will be beneficial, and in helping to create the conditions in which a partnership can better serve the community as a whole.",
            "With the growth of a commitment to integrated children's services, there is a clear need to embrace partnership working across a diverse group of professionals to improve the quality of services to children, young people, families and communities.",
            "Education and children's services professionals will be key members of such partnerships and often take on a leadership role within this context.",
        ],
        'K_lead': "Education and children's services professionals demonstrate that they know and understand:",
        'K': [
            'The conditions necessary to build and sustain effective partnerships',
            'Models of partnership working',
            'Potential barriers to effective partnership working and how to address these',
            'The roles and responsibilities of the range of agencies working within the community',
            'Strategies for communicating across a wide, and sometimes disparate, range of agencies',
            'The wider context in which stakeholders and partners are working',
        ],
        'S_lead': "Education and children's services professionals should:",
        'S': [
            'Work in constructive ways with a wide range of professionals',
            'Use enquiry or research-based approaches to promoting change',
            'Establish and support existing and new networks across educational establishments and other organisations/ services, and supporting the agencies that work with them',
            'Be creative in solving problems',
            'Think systemically about change',
            'Be sensitive to the impact of change on different stakeholders and different parts of the system in which they are working',
            'Work effectively with a range of people in other agencies to support educational improvement',
            'Interpret social situations and networks accurately, interacting effectively, managing conflict and building bonds',
            'Promote innovation and researchedbased approaches to evaluating outcomes',
        ],
        'A_lead': "Education and children's services professionals demonstrate a commitment to:",
        'A': [
            'Share evidence appropriately with key partners in order to gain a fully informed basis for proposing action and making decisions',
            'Articulate a clear vision for organisational/ service improvement in specific contexts',
            'Work with partnerships and networks to advance effective learning, development and well-being of all children and young people',
            'Work with educational establishments, local authority, communities, partners and agency stakeholders in order to develop and implement integrated strategic plans',
            'Work with voluntary and community organisations in the development and evaluation of practice',
            'Ensure that legal and regulatory responsibilities are being met',
        ],
    },
]

WEIP_KEY_AREAS = [
    {
        'title': 'Managing self',
        'notes': [
            '‘Managing self’ focuses on the personal characteristics that enable individual self-evaluation and personal development.',
        ],
    },
    {
        'title': 'Professional Leadership and Management',
        'notes': [
            '‘Professional Leadership and Management’ details education leadership roles along with specific leadership and management skills and abilities necessary to ensure effective service delivery.',
        ],
    },
    {
        'title': 'Supporting Educational Improvement and Children’s Well-being',
        'notes': [
            '‘Supporting Educational Improvement and Children’s Well-being’ covers national and local priorities and identifies the skills, knowledge and understanding required to create the right environment that promotes the achievement and well-being of children and young people.',
            'This key area emphasises knowledge and understanding of national, Local Authority and community systems, characteristics and cultures. For EIPs, irrespective of situation, knowledge and understanding of these contexts are essential to their effectiveness.',
        ],
    },
]

WEIP_GRADE_LEVELS = [
    'Practice is consistently very good, much of it exemplary and could be shared with others. The EIP is self motivated to continue to improve his/her practice.',
    'Practice is consistently good. The EIP recognises his/her development needs and is able to address them.',
    'Practice is good in most respects. The EIP is willing to improve his/her performance and acknowledges that some support is required.',
    'Practice is good in only a limited number of respects. The EIP is in need of regular support and encouragement.',
]

WEIP_GRADE_INTRO = 'Judgements can be usefully graded. A four level grading model is included in the self-evaluation profile:'

WEIP_GRADE_NA = "Where the standard is not applicable to the EIP's specific role it should be marked as not applicable (N/A)."

VSC_ELEMENTS = [
    {
        'code': 'KS',
        'title': 'Knowledge & Skills',
        'notes': [
            'This element identifies the essential knowledge and skills managers require to lead and manage effectively. Managers should actively engage in reflective learning to gain a greater understanding of the core management functions including:',
        ],
        'statements': [
            'The Professional Role of the Manager',
            'Leadership and Management Principles',
            'Self Evaluation and Improvement',
        ],
    },
    {
        'code': 'PQ',
        'title': 'Personal Qualities and Values',
        'notes': [
            'This element focuses upon the personal characteristics, which individuals bring to the management role. They may be innate qualities and values and/or traits developed through personal experience.',
        ],
        'statements': [
            'Commitment',
            'Perseverance',
            'Honesty',
            'Inspiration',
            'Creativity',
            'Respect',
            'Confidence',
            'Problem Solving',
            'Humour',
            'Integrity',
            'Empathy',
            'Self Awareness',
            'Consistency',
            'Reliability',
            'Impartiality',
            'Motivation',
            'Flexibility',
            'Value for Others',
            'Courage',
            'Resilience',
        ],
    },
    {
        'code': 'PC',
        'title': 'Professional Characteristics',
        'notes': [
            'This element clarifies the diverse professional capabilities managers draw upon to undertake the core management functions effectively. Through their professional interactions, they should:',
        ],
        'statements': [
            'apply and understand frameworks of accountability',
            'celebrate diversity and promote social inclusion and equal opportunities',
            'challenge and support',
            'communicate clear purpose and direction',
            'deal with ambiguity and change',
            'develop self and others',
            'value teams and work collaboratively',
        ],
    },
]

VSC_STANDARD_INTRO = [
    'The “Standard” for education and children’s services professionals will set out the key aspects of professionalism and expertise which the Welsh Assembly Government expects of those entrusted with the leadership and management of education and children’s services. It will serve as a template for existing and aspiring managers to determine strengths and identify development needs.',
    'The “Standard” is underpinned by elements which permeate and support the work of senior managers in education and children’s services in Wales.',
]

ASP05_INTRO = 'These updated Standards are designed to help educational improvement professionals improve their professional practice and effectiveness in a changing educational context. They are intended to be used as the basis for individual and/or team review to identify professional development priorities and for accreditation.'

PSS19_INTRO = "It is intended that this set of Scottish Standards for professionals in education and children's services will underpin the definition and development of their roles; the services that they deliver; and the professional actions they undertake."


# --------------------------------------------------------------------------
# CASE package builder
# --------------------------------------------------------------------------

ITEM_TYPE_INFO = {
    "Principle": ("1", "A core principle underpinning the standards; context, not graded."),
    "Dimension": ("1", "A dimension of professional practice: the top level of the standards."),
    "Key Area": ("1", "A key area of the standards: the top level of the framework; graded as a whole while it has no statements."),
    "Element": ("2", "An element of a dimension, key area or standard grouping the statements."),
    "Statement": ("3", "An individual standard statement: the unit that is assessed and graded."),
}


def uid(name):
    return str(uuid.uuid5(NAMESPACE, name))


def urn(identifier):
    return "urn:uuid:" + identifier


class Package:
    def __init__(self, code, title, creator, publisher, description, version,
                 official_url=None):
        self.code = code
        self.doc_id = uid("cpdplan:doc:" + code)
        self.title = title
        self.document = {
            "identifier": self.doc_id,
            "uri": urn(self.doc_id),
            "creator": creator,
            "title": title,
            "lastChangeDateTime": LAST_CHANGE,
        }
        if official_url:
            self.document["officialSourceURL"] = official_url
        self.document.update({
            "publisher": publisher,
            "description": description,
            "language": "en",
            "version": version,
            "adoptionStatus": "Adopted",
            "humanCodingScheme": code,
            "frameworkType": "Professional standards",
            "CFPackageURI": {
                "title": title,
                "identifier": self.doc_id,
                "uri": urn(self.doc_id),
            },
        })
        self.items = []
        self.associations = []
        self.rubrics = []
        self.types_used = []
        self.child_count = {}   # parent code -> number of children so far
        self.codes = set()

    def doc_uri(self):
        return {"title": self.title, "identifier": self.doc_id, "uri": urn(self.doc_id)}

    def add(self, parent, code, item_type, statement, applicability, notes=None):
        """Add an item under parent (an item code, or None for the document)."""
        if code in self.codes:
            raise ValueError("duplicate code " + code)
        self.codes.add(code)
        if item_type not in self.types_used:
            self.types_used.append(item_type)
        key = parent or ""
        pos = self.child_count.get(key, 0) + 1
        self.child_count[key] = pos
        ident = uid("cpdplan:" + code)
        item = {
            "identifier": ident,
            "uri": urn(ident),
            "CFDocumentURI": self.doc_uri(),
            "fullStatement": statement,
            "humanCodingScheme": code,
            "listEnumeration": str(pos),
            "CFItemType": item_type,
            "language": "en",
            "lastChangeDateTime": LAST_CHANGE,
        }
        if notes:
            item["notes"] = "\n\n".join(notes) if isinstance(notes, list) else notes
        item["extensions"] = {"applicability": applicability}
        self.items.append(item)
        if parent is None:
            dest = {"title": self.code, "identifier": self.doc_id, "uri": urn(self.doc_id)}
        else:
            pid = uid("cpdplan:" + parent)
            dest = {"title": parent, "identifier": pid, "uri": urn(pid)}
        aid = uid("cpdplan:assoc:" + code)
        self.associations.append({
            "identifier": aid,
            "uri": urn(aid),
            "associationType": "isChildOf",
            "CFDocumentURI": self.doc_uri(),
            "originNodeURI": {"title": code, "identifier": ident, "uri": urn(ident)},
            "destinationNodeURI": dest,
            "sequenceNumber": pos,
            "lastChangeDateTime": LAST_CHANGE,
        })
        return code

    def statements(self, parent, items, applicability):
        for n, text in enumerate(items, 1):
            self.add(parent, "%s.%d" % (parent, n), "Statement", text, applicability)

    def definitions(self):
        types = []
        for name in self.types_used:
            hierarchy, desc = ITEM_TYPE_INFO[name]
            tid = uid("cpdplan:type:" + name)
            types.append({
                "identifier": tid,
                "uri": urn(tid),
                "title": name,
                "description": desc,
                "hierarchyCode": hierarchy,
                "lastChangeDateTime": LAST_CHANGE,
            })
        return {
            "CFItemTypes": types,
            "CFConcepts": [],
            "CFSubjects": [],
            "CFLicenses": [],
            "CFAssociationGroupings": [],
        }

    def package(self):
        return {
            "CFDocument": self.document,
            "CFItems": self.items,
            "CFAssociations": self.associations,
            "CFDefinitions": self.definitions(),
            "CFRubrics": self.rubrics,
        }


def build_aspect():
    code = "ASP05"
    p = Package(
        code,
        "National Standards for Educational Improvement Professionals",
        "Association of Professionals in Education and Children's Trusts (Aspect)",
        "Association of Professionals in Education and Children's Trusts (Aspect)",
        ASP05_INTRO + "\n\nAspect National Standards for Educational Improvement "
        "Professionals (England, 2005): six dimensions, each with Knowledge and "
        "understanding, Actions and Professional qualities (Is committed to / Is able "
        "to); 153 statements. All statements apply to all posts.",
        "2005",
    )
    for d, dim in enumerate(ASP05_DIMENSIONS, 1):
        dc = p.add(None, "%s-%d" % (code, d), "Dimension", dim["title"], "all", dim["notes"])
        k = p.add(dc, dc + ".K", "Element", "Knowledge and understanding", "all",
                  "Knows and understands:")
        p.statements(k, dim["K"], "all")
        a = p.add(dc, dc + ".A", "Element", "Actions", "all")
        p.statements(a, dim["A"], "all")
        q = p.add(dc, dc + ".Q", "Element", "Professional qualities", "all")
        qc = p.add(q, dc + ".QC", "Element", "Is committed to", "all")
        p.statements(qc, dim["QC"], "all")
        qa = p.add(q, dc + ".QA", "Element", "Is able to", "all")
        p.statements(qa, dim["QA"], "all")
    return p


def build_prospect():
    code = "PSS19"
    p = Package(
        code,
        "Scottish Standards for Professionals in Education and Children's Services",
        "Prospect Education and Children's Services Group (Prospect ECS)",
        "Prospect",
        PSS19_INTRO + "\n\nProspect ECS Scottish Standards (2019): six core principles "
        "(context, not graded) and six dimensions, each with Professional knowledge and "
        "understanding, Professional skills and attitudes and Professional actions; 151 "
        "statements. As the Prospect ECS guidance notes say, dimensions 1-3 apply to all "
        "professionals (applicability \"all\") and the applicability of dimensions 4-6 is "
        "decided within each service (applicability \"agreed\").",
        "2019",
        "https://prospect.org.uk/news/our-new-education-principles-and-standards-documents",
    )
    for n, text in enumerate(PSS19_PRINCIPLES, 1):
        p.add(None, "%s-P%d" % (code, n), "Principle", text, "all")
    for d, dim in enumerate(PSS19_DIMENSIONS, 1):
        app = "all" if d <= 3 else "agreed"
        dc = p.add(None, "%s-%d" % (code, d), "Dimension", dim["title"], app, dim["notes"])
        k = p.add(dc, dc + ".K", "Element", "Professional knowledge and understanding",
                  app, dim["K_lead"])
        p.statements(k, dim["K"], app)
        s = p.add(dc, dc + ".S", "Element", "Professional skills and attitudes", app,
                  dim["S_lead"])
        p.statements(s, dim["S"], app)
        a = p.add(dc, dc + ".A", "Element", "Professional actions", app, dim.get("A_lead"))
        p.statements(a, dim["A"], app)
    return p


def build_wales():
    code = "WEIP"
    p = Package(
        code,
        "National Standards for Educational Improvement Professionals in Wales",
        "Welsh Assembly Government (WAG) and the Association of Directors of Education in Wales (ADEW)",
        "Welsh Assembly Government (WAG) and the Association of Directors of Education in Wales (ADEW)",
        "The National Standards for Educational Improvement Professionals (EIPs) in Wales, "
        "taken from the Guidance Notes to the Standards: three key areas (Managing self; "
        "Professional Leadership and Management; Supporting Educational Improvement and "
        "Children’s Well-being). Key areas 1 and 2 apply to all EIPs; the applicability "
        "of key area 3 is agreed for each post within the service.\n\n"
        "The source document (the guidance notes) does not give the individual standards "
        "or their exemplification criteria, so this framework has no statements: each key "
        "area is graded as a whole until the statements are added.\n\n"
        "Grading uses the four-level grading model of the self-evaluation profile "
        "(1 best, 4 weakest) plus N/A, carried as the CFRubric \"Grading model\".",
        "undated",
    )
    apps = ["all", "all", "agreed"]
    for n, ka in enumerate(WEIP_KEY_AREAS, 1):
        p.add(None, "%s-%d" % (code, n), "Key Area", ka["title"], apps[n - 1], ka["notes"])
    rid = uid("cpdplan:rubric:" + code)
    cid = uid("cpdplan:rubric:" + code + ":criterion")
    levels = []
    for n, text in enumerate(WEIP_GRADE_LEVELS, 1):
        lid = uid("cpdplan:rubric:%s:level:%d" % (code, n))
        levels.append({
            "identifier": lid,
            "uri": urn(lid),
            "description": text,
            "quality": str(n),
            "score": n,
            "position": n,
            "rubricCriterionId": cid,
            "lastChangeDateTime": LAST_CHANGE,
        })
    lid = uid("cpdplan:rubric:%s:level:NA" % code)
    levels.append({
        "identifier": lid,
        "uri": urn(lid),
        "description": WEIP_GRADE_NA,
        "quality": "N/A",
        "position": len(levels) + 1,
        "rubricCriterionId": cid,
        "lastChangeDateTime": LAST_CHANGE,
    })
    p.rubrics.append({
        "identifier": rid,
        "uri": urn(rid),
        "title": "Grading model",
        "description": "The four-level grading model of the self-evaluation profile, "
        "plus N/A. Lower is better: 1 is the strongest practice, 4 the weakest. "
        "Grading is benchmarked in the review meeting with the line manager/team leader.",
        "lastChangeDateTime": LAST_CHANGE,
        "CFRubricCriteria": [{
            "identifier": cid,
            "uri": urn(cid),
            "category": "Practice against the standard",
            "description": WEIP_GRADE_INTRO,
            "position": 1,
            "rubricId": rid,
            "lastChangeDateTime": LAST_CHANGE,
            "CFRubricCriterionLevels": levels,
        }],
    })
    return p


def build_vsc():
    code = "VSC"
    p = Package(
        code,
        "VSC Cymru Standard for Education and Children's Services Managers in Wales",
        "Virtual Staff College Cymru (VSC Cymru)",
        "Virtual Staff College Cymru (VSC Cymru)",
        "\n\n".join(VSC_STANDARD_INTRO) + "\n\nFrom A National Continuing Professional "
        "Development Strategy for Education and Children's Services Managers in Wales: "
        "three elements (Knowledge & Skills: 3 core management functions; Personal "
        "Qualities and Values: 20; Professional Characteristics: 7); 30 statements. "
        "It is the standard for managers, so every statement is agreed per post "
        "(applicability \"agreed\").",
        "undated",
    )
    for el in VSC_ELEMENTS:
        ec = p.add(None, "%s-%s" % (code, el["code"]), "Element", el["title"], "agreed",
                   el["notes"])
        p.statements(ec, el["statements"], "agreed")
    return p


OUTPUTS = [
    ("aspect-eip-2005.json", build_aspect),
    ("prospect-ecs-scotland-2019.json", build_prospect),
    ("wales-eip.json", build_wales),
    ("vsc-cymru-standard.json", build_vsc),
]


def main(argv):
    if len(argv) > 2:
        sys.stderr.write("usage: make_frameworks.py [OUTPUT_DIR]\n")
        return 2
    outdir = argv[1] if len(argv) == 2 else os.path.dirname(
        os.path.dirname(os.path.abspath(__file__)))
    os.makedirs(outdir, exist_ok=True)
    for name, build in OUTPUTS:
        pkg = build()
        text = json.dumps(pkg.package(), indent=2, ensure_ascii=False) + "\n"
        path = os.path.join(outdir, name)
        with open(path, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        n = sum(1 for i in pkg.items if i["CFItemType"] == "Statement")
        print("wrote %s (%d items, %d statements)" % (path, len(pkg.items), n))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
